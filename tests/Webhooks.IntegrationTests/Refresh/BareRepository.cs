using System.Diagnostics;
using System.Text;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// A git server of the test's own: a bare repository in a temporary directory, reached by its <c>file://</c>
/// <see cref="Url"/>, and a work clone that commits and pushes to it through the git CLI. Git runs without system or
/// global configuration and with the identity on its command line, so it behaves the same on a developer's machine,
/// on CI (<c>CI=true</c>, no home configuration, no terminal) and as root.
/// </summary>
public sealed class BareRepository : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly string _bare;
    private readonly string _work;
    private readonly HashSet<string> _branches = new(StringComparer.Ordinal);
    private int _commits;

    private BareRepository(string root)
    {
        _root = root;
        _bare = Path.Combine(root, "server.git");
        _work = Path.Combine(root, "work");
    }

    public string Url => new Uri(_bare).AbsoluteUri;

    /// <summary>An empty bare repository whose default branch (HEAD) is <paramref name="defaultBranch"/>, and a clone of it.</summary>
    public static async Task<BareRepository> CreateAsync(string defaultBranch = "main")
    {
        var repository = new BareRepository(Directory.CreateTempSubdirectory("webhooks-bare-").FullName);
        await repository.GitAsync(repository._root, "init", "--quiet", "--bare", $"--initial-branch={defaultBranch}", repository._bare);
        await repository.GitAsync(repository._root, "init", "--quiet", $"--initial-branch={defaultBranch}", repository._work);
        await repository.GitAsync(repository._work, "remote", "add", "origin", repository._bare);
        return repository;
    }

    /// <summary>
    /// Commits a change on <paramref name="branch"/> of the work clone (a new branch starts from the current commit),
    /// pushes it, and returns the commit's id.
    /// </summary>
    public async Task<string> CommitAndPushAsync(string message, string branch = "main")
    {
        var number = ++_commits;
        if (number == 1)
        {
            await GitAsync(_work, "symbolic-ref", "HEAD", $"refs/heads/{branch}");
        }
        else
        {
            await GitAsync(_work, _branches.Contains(branch) ? ["checkout", "--quiet", branch] : ["checkout", "--quiet", "-b", branch]);
        }

        _branches.Add(branch);
        await File.WriteAllTextAsync(Path.Combine(_work, "change.txt"), $"{number}: {message}\n");
        await GitAsync(_work, "add", "change.txt");
        await GitAsync(_work, "-c", "user.name=Webhooks Tests", "-c", "user.email=tests@webhooks.example", "-c", "commit.gpgSign=false",
            "commit", "--quiet", "--no-verify", "-m", message);
        await GitAsync(_work, "push", "--quiet", "origin", $"HEAD:refs/heads/{branch}");
        return (await GitAsync(_work, "rev-parse", "HEAD")).Trim();
    }

    /// <summary>Tags the work clone's current commit with an annotated tag and pushes the tag.</summary>
    public async Task TagAndPushAsync(string tag)
    {
        await GitAsync(_work, "-c", "user.name=Webhooks Tests", "-c", "user.email=tests@webhooks.example", "-c", "tag.gpgSign=false",
            "tag", "--annotate", "-m", $"Release {tag}", tag);
        await GitAsync(_work, "push", "--quiet", "origin", $"refs/tags/{tag}");
    }

    private async Task<string> GitAsync(string workingDirectory, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in startInfo.Environment.Keys.Where(name => name.StartsWith("GIT_", StringComparison.Ordinal)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["LC_ALL"] = "C";

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"git {string.Join(' ', arguments)} took longer than {CommandTimeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}");
        }

        return await output;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }
}
