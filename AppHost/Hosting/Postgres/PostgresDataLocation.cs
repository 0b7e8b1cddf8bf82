using System.Security.Cryptography;
using System.Text;
using Webhooks.AppHost.Hosting.Processes;

namespace Webhooks.AppHost.Hosting.Postgres;

/// <summary>
/// Where the postgres cluster lives: <c>&lt;data-dir&gt;/postgres</c>. When the AppHost runs as root, postgres runs as
/// the <c>postgres</c> user, which cannot enter a data directory under /root (mode 700); the cluster then lives in
/// <c>/var/lib/webhooks/postgres-&lt;hash of data-dir&gt;</c> and <c>&lt;data-dir&gt;/postgres</c> is a link to it.
/// </summary>
internal static class PostgresDataLocation
{
    public const string DirectoryName = "postgres";
    public const string User = "postgres";
    private const string OutsideRoot = "/var/lib/webhooks";

    public static async Task<string> ResolveAsync(string dataDirectory, StackContext context, CancellationToken cancellationToken)
    {
        var link = Path.Combine(dataDirectory, DirectoryName);
        if (new DirectoryInfo(link).LinkTarget is { } existingTarget)
        {
            Directory.CreateDirectory(existingTarget);
            return existingTarget;
        }

        if (Directory.Exists(link) || !Posix.IsRoot || await UserCanEnterAsync(dataDirectory, context, cancellationToken).ConfigureAwait(false))
        {
            return link;
        }

        // Only the data directory itself is closed (a mkdtemp directory is mode 700): let others pass through it,
        // without listing it; its secrets are mode 600.
        var parent = Path.GetDirectoryName(dataDirectory);
        if (!OperatingSystem.IsWindows() && parent is not null && await UserCanEnterAsync(parent, context, cancellationToken).ConfigureAwait(false))
        {
            File.SetUnixFileMode(dataDirectory, File.GetUnixFileMode(dataDirectory) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            if (await UserCanEnterAsync(dataDirectory, context, cancellationToken).ConfigureAwait(false))
            {
                return link;
            }
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..12];
        var target = Path.Combine(OutsideRoot, $"postgres-{hash}");
        Directory.CreateDirectory(target);
        Directory.CreateSymbolicLink(link, target);
        context.Log.WriteLine($"the postgres user cannot enter {dataDirectory}; postgres data lives in {target} (linked from {link})");
        return target;
    }

    /// <summary>Before <c>--fresh</c> deletes the data directory: stop a postgres left on it and delete a linked cluster.</summary>
    public static async Task WipeAsync(string dataDirectory, StackContext context)
    {
        var link = Path.Combine(dataDirectory, DirectoryName);
        var target = new DirectoryInfo(link).LinkTarget ?? link;
        if (!Directory.Exists(target))
        {
            return;
        }

        await StalePostmaster.StopIfRunningAsync(target, context.Log, CancellationToken.None).ConfigureAwait(false);
        if (target != link)
        {
            Directory.Delete(target, recursive: true);
        }
    }

    /// <summary>Hands the cluster directory to the postgres user (mode 700, as postgres demands).</summary>
    public static async Task TakeOwnershipAsync(string path, StackContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (Posix.IsRoot)
        {
            var exitCode = await ChildProcess.RunAsync(new ProcessSpec("chown", ["-R", $"{User}:{User}", path]), context.Log, cancellationToken).ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new StartupException(FailureMessages.CommandFailed("postgres", $"chown -R {User} {path}", exitCode, context.Log.RecentLines));
            }
        }
    }

    public static async Task<bool> UserExistsAsync(StackContext context, CancellationToken cancellationToken) =>
        await ChildProcess.RunAsync(new ProcessSpec("id", ["-u", User]), new Logging.ResourceLogger("id"), cancellationToken).ConfigureAwait(false) == 0;

    private static async Task<bool> UserCanEnterAsync(string directory, StackContext context, CancellationToken cancellationToken) =>
        await ChildProcess.RunAsync(new ProcessSpec("test", ["-x", directory]) { RunAsUser = User }, new Logging.ResourceLogger("test"), cancellationToken).ConfigureAwait(false) == 0;
}
