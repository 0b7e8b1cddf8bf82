using System.Diagnostics;
using System.Text;

namespace Webhooks.Grains.Discovery;

/// <summary>
/// One <c>git ls-remote</c> process, ready to start, and the private temporary directory it runs in (which holds
/// the ssh key, if any). Secrets travel only in the child's environment or in that directory (mode 700, key file
/// mode 600), never in its argument list, so <c>ps</c> and process-start logs show none. Disposing deletes the
/// directory.
/// </summary>
internal sealed class GitInvocation : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    // Inherited GIT_* variables could point git at another repository, config, ssh command or askpass program; only
    // the ones an operator needs for TLS trust pass through.
    private static readonly string[] InheritedGitVariables = ["GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_EXEC_PATH"];

    private GitInvocation(ProcessStartInfo startInfo, string directory, string? keyFile)
    {
        StartInfo = startInfo;
        Directory = directory;
        KeyFile = keyFile;
    }

    public ProcessStartInfo StartInfo { get; }

    /// <summary>The private working directory, deleted on <see cref="Dispose"/>.</summary>
    public string Directory { get; }

    /// <summary>The ssh private key file, when the listing authenticates with one.</summary>
    public string? KeyFile { get; }

    /// <summary>The secrets that must never appear in a message (password or token, the header carrying it, the key).</summary>
    public IReadOnlyList<string> Secrets { get; private init; } = [];

    public static GitInvocation ForLsRemote(string gitExecutable, GitRemote remote, GitCredentials? credentials)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("webhooks-git-").FullName;
        try
        {
            return Create(gitExecutable, remote, credentials, directory);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    private static GitInvocation Create(string gitExecutable, GitRemote remote, GitCredentials? credentials, string directory)
    {
        var startInfo = new ProcessStartInfo(gitExecutable)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        // HEAD with --symref names the default branch; the patterns keep the listing to branches and tags (server-side
        // with protocol v2) instead of every pull-request and remote ref.
        foreach (var argument in (string[])["ls-remote", "--symref", remote.Url, "HEAD", "refs/heads/*", "refs/tags/*"])
            startInfo.ArgumentList.Add(argument);

        var environment = startInfo.Environment;
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("GIT_", StringComparison.Ordinal) && !InheritedGitVariables.Contains(name))
                environment.Remove(name);
        }
        environment.Remove("SSH_ASKPASS");
        environment["LC_ALL"] = "C";
        environment["LANGUAGE"] = "C";
        // Never wait for a person: no terminal prompt, and no askpass program or credential helper from any config.
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        environment["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(directory);
        environment["GIT_PROTOCOL_FROM_USER"] = "0";

        var config = new List<(string Key, string Value)>
        {
            ("credential.helper", ""),
            ("core.askPass", ""),
            ("protocol.allow", "never"),
            ("protocol.https.allow", "always"),
            ("protocol.http.allow", "always"),
            ("protocol.ssh.allow", "always"),
            ("protocol.file.allow", "always"),
        };
        var secrets = new List<string>();
        string? keyFile = null;

        switch (remote.Transport)
        {
            case GitTransport.Http when !string.IsNullOrEmpty(credentials?.Password):
                var (scheme, parameter) = Authorization(credentials.Username, credentials.Password);
                config.Add(("http.extraHeader", $"Authorization: {scheme} {parameter}"));
                secrets.Add(credentials.Password);
                secrets.Add(parameter);
                break;

            case GitTransport.Ssh:
                var ssh = new StringBuilder("ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new");
                if (!string.IsNullOrWhiteSpace(credentials?.SshPrivateKey))
                {
                    keyFile = WriteKeyFile(directory, credentials.SshPrivateKey);
                    ssh.Append(" -i ").Append(ShellQuote(keyFile)).Append(" -o IdentitiesOnly=yes");
                    secrets.Add(credentials.SshPrivateKey.Trim());
                }
                environment["GIT_SSH_COMMAND"] = ssh.ToString();
                environment["GIT_SSH_VARIANT"] = "ssh";
                break;
        }

        environment["GIT_CONFIG_COUNT"] = config.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < config.Count; i++)
        {
            environment[$"GIT_CONFIG_KEY_{i}"] = config[i].Key;
            environment[$"GIT_CONFIG_VALUE_{i}"] = config[i].Value;
        }

        return new GitInvocation(startInfo, directory, keyFile) { Secrets = secrets };
    }

    /// <summary>
    /// Sent on every request rather than after a 401 challenge, which also allows a bare token: Bitbucket Data Center
    /// accepts project and repository tokens only as <c>Bearer</c>, and with a user name as <c>Basic</c>.
    /// </summary>
    private static (string Scheme, string Parameter) Authorization(string? username, string password) =>
        string.IsNullOrEmpty(username)
            ? ("Bearer", password)
            : ("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));

    private static string WriteKeyFile(string directory, string privateKey)
    {
        var path = Path.Combine(directory, "id_key");
        // ssh refuses a key readable by others, and a key without its final newline ("invalid format").
        var text = privateKey.Replace("\r\n", "\n", StringComparison.Ordinal).Trim() + "\n";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            fileOptions.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, fileOptions);
        stream.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }

    // GIT_SSH_COMMAND goes through the shell.
    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
