using System.Diagnostics;

namespace Webhooks.UnitTests.Discovery;

/// <summary>
/// A real repository made with the git CLI in a temporary directory: <c>main</c> (two commits), <c>feature/x</c>
/// (one more), an annotated tag <c>v1.0</c> on main's first commit and a lightweight tag <c>light</c> on feature/x.
/// </summary>
internal sealed class GitTestRepository : IDisposable
{
    private GitTestRepository(string path) => Path = path;

    public string Path { get; }

    public string FileUrl => new Uri(Path).AbsoluteUri;

    public string MainFirstCommit { get; private set; } = "";

    public string MainHead { get; private set; } = "";

    public string FeatureHead { get; private set; } = "";

    public string AnnotatedTagObject { get; private set; } = "";

    public static async Task<GitTestRepository> CreateAsync()
    {
        var repository = new GitTestRepository(Directory.CreateTempSubdirectory("webhooks-git-repo-").FullName);
        try
        {
            await repository.GitAsync("init", "--quiet", "--initial-branch=main");
            repository.MainFirstCommit = await repository.CommitAsync("README.md", "first");
            await repository.GitAsync("tag", "--annotate", "--message=release 1.0", "v1.0");
            repository.AnnotatedTagObject = await repository.GitAsync("rev-parse", "refs/tags/v1.0");
            repository.MainHead = await repository.CommitAsync("README.md", "second");
            await repository.GitAsync("switch", "--quiet", "--create", "feature/x");
            repository.FeatureHead = await repository.CommitAsync("feature.txt", "feature");
            await repository.GitAsync("tag", "light");
            await repository.GitAsync("switch", "--quiet", "main");
            return repository;
        }
        catch
        {
            repository.Dispose();
            throw;
        }
    }

    private async Task<string> CommitAsync(string file, string content)
    {
        await File.WriteAllTextAsync(System.IO.Path.Combine(Path, file), content);
        await GitAsync("add", file);
        await GitAsync("commit", "--quiet", $"--message={content}");
        return await GitAsync("rev-parse", "HEAD");
    }

    private async Task<string> GitAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        // Independent of the machine's git configuration.
        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        startInfo.Environment["GIT_AUTHOR_NAME"] = startInfo.Environment["GIT_COMMITTER_NAME"] = "Test";
        startInfo.Environment["GIT_AUTHOR_EMAIL"] = startInfo.Environment["GIT_COMMITTER_EMAIL"] = "test@example.com";

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {await error}");
        return (await output).Trim();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
