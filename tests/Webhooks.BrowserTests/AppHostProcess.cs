using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Webhooks.Testing;

namespace Webhooks.BrowserTests;

/// <summary>
/// The AppHost as a developer starts it: <c>dotnet run --project AppHost --no-build -- --data-dir DIR --fresh</c>, a
/// child process with its launch profile (the Aspire dashboard on 18888, the dashboard on 5170, the receiver on 5180),
/// its console read line by line, stopped with SIGTERM.
/// </summary>
public sealed class AppHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private AppHostProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>The checkout this test runs from (where <c>Webhooks.sln</c> is).</summary>
    public static string RepositoryRoot => Checkout().Root;

    /// <summary>The pid of <c>dotnet run</c>.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout => string.Join('\n', _stdout);

    public string Stderr => string.Join('\n', _stderr);

    public static AppHostProcess Start(string dataDirectory)
    {
        var (root, configuration) = Checkout();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", "AppHost", "--no-build", "-c", configuration, "--", "--data-dir", dataDirectory, "--fresh" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new AppHostProcess(process, dataDirectory);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                host._stdout.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                host._stderr.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Polls stdout, with a deadline, for the banner the AppHost prints once every resource is healthy; fails with what
    /// the AppHost said when it exits first (a taken port is one line on stderr).
    /// </summary>
    public async Task<Banner> WaitForBannerAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var lines = _stdout.ToArray();
            var start = Array.FindIndex(lines, line => line.Contains("Webhooks is running", StringComparison.Ordinal));
            // The banner is complete at its closing rule.
            if (start >= 0 && Array.FindIndex(lines, start, line => line.StartsWith('─')) is var end and > 0)
            {
                return Banner.Parse(lines[start..end]);
            }

            if (_process.HasExited)
            {
                // The reader may still hold the last lines: they are flushed once the streams end.
                await _process.WaitForExitAsync();
                Assert.Fail($"The AppHost exited with {_process.ExitCode} before its banner: {Stderr}{(Stderr.Length == 0 ? Stdout : "")}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"No banner from the AppHost within {timeout.TotalSeconds:0} s. Its output:\n{Stdout}\n{Stderr}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>SIGTERM to <c>dotnet run</c>, as a service manager or <c>kill</c> stops it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>
    /// The processes of this AppHost's stack, found in <c>/proc</c>: PostgreSQL and Redis run in the data directory (Redis
    /// rewrites its command line to its address), the services carry the stack's admin token in their environment.
    /// </summary>
    public static IReadOnlyList<(int Pid, string CommandLine)> StackProcesses(string dataDirectory, string adminToken)
    {
        var found = new List<(int, string)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId || !ResourceProcesses.IsAlive(pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                var environment = File.ReadAllText(Path.Combine(directory, "environ"));
                var workingDirectory = new DirectoryInfo(Path.Combine(directory, "cwd")).LinkTarget ?? "";
                if (commandLine.Contains(dataDirectory, StringComparison.Ordinal)
                    || workingDirectory.StartsWith(dataDirectory, StringComparison.Ordinal)
                    || environment.Contains(adminToken, StringComparison.Ordinal))
                {
                    found.Add((pid, commandLine));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being read.
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A failed test: take down whatever is left, leaves first.
            foreach (var pid in ResourceProcesses.WithDescendants(_process.Id).Reverse())
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                }
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The repository's root and the configuration this test assembly (and so the AppHost) was built in.</summary>
    private static (string Root, string Configuration) Checkout()
    {
        // …/tests/Webhooks.BrowserTests/bin/<configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return (directory.FullName, configuration);
            }
        }

        throw new InvalidOperationException($"No Webhooks.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>What the banner says: the Aspire dashboard's login URL, the dashboard's sign-in link, the management API, the admin token.</summary>
    public sealed record Banner(Uri AspireDashboardLogin, Uri Dashboard, Uri ManagementApi, string AdminToken)
    {
        public static Banner Parse(IReadOnlyList<string> lines)
        {
            string Value(string label) =>
                lines.Select(line => Regex.Match(line, $@"^\s+{Regex.Escape(label)}\s+(\S+)")).FirstOrDefault(m => m.Success)?.Groups[1].Value
                ?? throw new InvalidOperationException($"The banner has no '{label}' line:\n{string.Join('\n', lines)}");

            return new(new Uri(Value("Aspire dashboard")), new Uri(Value("Dashboard")), new Uri(Value("Management API")), Value("Admin token"));
        }
    }
}
