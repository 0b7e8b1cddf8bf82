using System.Diagnostics;
using System.Globalization;

namespace Webhooks.AppHost.Hosting.Postgres;

/// <summary>
/// Finds initdb, postgres and pg_ctl: an explicit directory if configured, else the directories on PATH,
/// then <c>pg_config --bindir</c>, then <c>/usr/lib/postgresql/*/bin</c>, newest version first.
/// </summary>
public sealed class PostgresBinaryFinder
{
    private readonly IReadOnlyList<string> _pathDirectories;
    private readonly Func<string?> _pgConfigBinDirectory;
    private readonly string? _versionedRoot;
    private readonly string _description;

    public PostgresBinaryFinder(IReadOnlyList<string> pathDirectories, Func<string?> pgConfigBinDirectory, string? versionedRoot, string? description = null)
    {
        _pathDirectories = pathDirectories;
        _pgConfigBinDirectory = pgConfigBinDirectory;
        _versionedRoot = versionedRoot;
        _description = description ?? $"PATH, pg_config --bindir, {versionedRoot}/*/bin";
    }

    /// <summary>The machine's locations.</summary>
    public static PostgresBinaryFinder ForMachine() => new(
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries),
        RunPgConfig,
        "/usr/lib/postgresql");

    /// <summary>Only <paramref name="binDirectory"/> (configured with <c>Postgres:BinDirectory</c>).</summary>
    public static PostgresBinaryFinder InDirectory(string binDirectory) => new([binDirectory], () => null, null, $"{binDirectory} (Postgres:BinDirectory)");

    /// <summary>Directories to look in, in order.</summary>
    public IReadOnlyList<string> Candidates()
    {
        var candidates = new List<string>();
        foreach (var directory in _pathDirectories)
        {
            // /usr/local/bin/initdb may be a symlink into the real installation: use the installation.
            var initdb = Path.Combine(directory, "initdb");
            var target = File.Exists(initdb) ? new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true) : null;
            candidates.Add(target is null ? directory : Path.GetDirectoryName(target.FullName)!);
        }

        if (_pgConfigBinDirectory() is { Length: > 0 } pgConfig)
        {
            candidates.Add(pgConfig);
        }

        if (_versionedRoot is not null && Directory.Exists(_versionedRoot))
        {
            candidates.AddRange(Directory.GetDirectories(_versionedRoot)
                .OrderByDescending(d => double.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        return [.. candidates.Select(Path.GetFullPath).Distinct()];
    }

    public PostgresInstallation Find() =>
        Candidates().Where(HasAllPrograms).Select(d => new PostgresInstallation(d)).FirstOrDefault()
        ?? throw new StartupException(FailureMessages.PostgresNotInstalled([_description]));

    private static bool HasAllPrograms(string directory) =>
        PostgresInstallation.RequiredPrograms.All(p => IsExecutable(Path.Combine(directory, p)));

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static string? RunPgConfig()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
