using System.Runtime.Versioning;
using System.Text;
using Webhooks.Grains.Discovery;

namespace Webhooks.UnitTests.Discovery;

public sealed class GitInvocationTests
{
    private const string Key = "-----BEGIN OPENSSH PRIVATE KEY-----\r\nc2VjcmV0LWtleS1tYXRlcmlhbA==\r\n-----END OPENSSH PRIVATE KEY-----";

    private static string? Config(GitInvocation invocation, string key)
    {
        var environment = invocation.StartInfo.Environment;
        var count = int.Parse(environment["GIT_CONFIG_COUNT"]!, System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(0, count)
            .Where(i => environment[$"GIT_CONFIG_KEY_{i}"] == key)
            .Select(i => environment[$"GIT_CONFIG_VALUE_{i}"])
            .LastOrDefault();
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void AnSshKeyIsWrittenOwnerOnlyUsedExclusivelyAndDeletedAfterwards()
    {
        var remote = GitRemote.Parse("git@bitbucket.org:team/repo.git");
        string keyFile;
        string directory;

        using (var invocation = GitInvocation.ForLsRemote("git", remote, new GitCredentials(null, null, Key)))
        {
            keyFile = invocation.KeyFile!;
            directory = invocation.Directory;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
            // ssh rejects a key without its final newline; CRLF from a browser form is normalised.
            Assert.Equal(Key.Replace("\r\n", "\n") + "\n", File.ReadAllText(keyFile));

            var ssh = invocation.StartInfo.Environment["GIT_SSH_COMMAND"];
            Assert.Equal($"ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -i '{keyFile}' -o IdentitiesOnly=yes", ssh);
            Assert.Equal(["ls-remote", "--symref", "git@bitbucket.org:team/repo.git", "HEAD", "refs/heads/*", "refs/tags/*"], invocation.StartInfo.ArgumentList);
            Assert.Equal(directory, invocation.StartInfo.WorkingDirectory);
        }

        Assert.False(File.Exists(keyFile));
        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public void SshWithoutAKeyStillNeverPrompts()
    {
        using var invocation = GitInvocation.ForLsRemote("git", GitRemote.Parse("ssh://git@example.com/team/repo.git"), null);

        Assert.Null(invocation.KeyFile);
        Assert.Equal("ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new", invocation.StartInfo.Environment["GIT_SSH_COMMAND"]);
    }

    [Fact]
    public void HttpsCredentialsTravelInTheEnvironmentNotTheArguments()
    {
        var remote = GitRemote.Parse("https://bitbucket.example.com/scm/team/repo.git");

        using var invocation = GitInvocation.ForLsRemote("git", remote, new GitCredentials("bot", "p@ss:word"));

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:p@ss:word"));
        Assert.Equal($"Authorization: Basic {basic}", Config(invocation, "http.extraHeader"));
        Assert.DoesNotContain(invocation.StartInfo.ArgumentList, argument => argument.Contains("p@ss") || argument.Contains(basic));
        Assert.Contains("p@ss:word", invocation.Secrets);
        Assert.Contains(basic, invocation.Secrets);
        Assert.Null(invocation.KeyFile);
    }

    [Fact]
    public void GitNeverAsksAPersonOrAHelper()
    {
        using var invocation = GitInvocation.ForLsRemote("git", GitRemote.Parse("https://example.com/repo.git"), null);
        var environment = invocation.StartInfo.Environment;

        Assert.Equal("0", environment["GIT_TERMINAL_PROMPT"]);
        Assert.Equal("1", environment["GIT_CONFIG_NOSYSTEM"]);
        Assert.Equal("/dev/null", environment["GIT_CONFIG_GLOBAL"]);
        Assert.False(environment.ContainsKey("GIT_ASKPASS"));
        Assert.False(environment.ContainsKey("SSH_ASKPASS"));
        Assert.Equal("", Config(invocation, "credential.helper"));
        Assert.Equal("", Config(invocation, "core.askPass"));
        Assert.Equal("never", Config(invocation, "protocol.allow"));
        Assert.Null(Config(invocation, "http.extraHeader"));
    }
}
