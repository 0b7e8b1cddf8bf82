using System.Collections.Concurrent;
using System.Diagnostics;

namespace Webhooks.AppHost.Hosting.Processes;

/// <summary>
/// Starts every child process from one thread that lives as long as the AppHost. The kernel's parent-death
/// signal fires when the <em>thread</em> that forked the child exits, and thread-pool threads come and go.
/// </summary>
internal static class ProcessLauncher
{
    private const string Setpriv = "/usr/bin/setpriv";
    private const string Setsid = "/usr/bin/setsid";
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];

    static ProcessLauncher()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "AppHost process launcher" };
        thread.Start();
    }

    public static bool CanChangeUser => File.Exists(Setpriv) || File.Exists("/usr/sbin/runuser");

    public static Task<Process> StartAsync(ProcessSpec spec, Action<string> onLine)
    {
        var info = CreateStartInfo(spec);
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((info, started));
        return started.Task.ContinueWith(
            t =>
            {
                var process = t.Result;
                process.OutputDataReceived += (_, e) => Forward(e.Data);
                process.ErrorDataReceived += (_, e) => Forward(e.Data);
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                return process;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

        void Forward(string? line)
        {
            if (line is not null)
            {
                onLine(line);
            }
        }
    }

    internal static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Environment.CurrentDirectory,
        };

        // Every wrapper execs (same pid, no extra process). setsid puts the child in its own session, so a
        // Ctrl+C in the terminal reaches only the AppHost, which then stops the children in order.
        // setpriv sets the user and the parent-death signal.
        var command = new List<string>();
        if (File.Exists(Setsid))
        {
            command.Add(Setsid);
        }

        if (File.Exists(Setpriv) && (spec.RunAsUser is not null || spec.ParentDeathSignal is not null))
        {
            command.Add(Setpriv);
            if (spec.RunAsUser is not null)
            {
                command.AddRange([$"--reuid={spec.RunAsUser}", $"--regid={spec.RunAsUser}", "--init-groups"]);
            }

            if (spec.ParentDeathSignal is not null)
            {
                command.Add($"--pdeathsig={spec.ParentDeathSignal}");
            }

            command.Add("--");
        }
        else if (spec.RunAsUser is not null)
        {
            command.AddRange(["runuser", "-u", spec.RunAsUser, "--"]);
        }

        command.Add(spec.FileName);
        info.FileName = command[0];
        foreach (var word in command.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static void Run()
    {
        foreach (var (info, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start."));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
