using System.Diagnostics;

namespace Webhooks.EndToEndTests;

/// <summary>
/// The stack's PostgreSQL cluster on disk, as <c>pg_controldata</c> reads it: whether the server was shut down cleanly
/// (a checkpoint written, nothing to recover) or stopped some other way. Resource logs stop being forwarded as the
/// AppHost stops, so the server's own last log lines cannot tell.
/// </summary>
public static class PostgresCluster
{
    /// <summary>"shut down" after a clean stop; "in production" while running or after a crash.</summary>
    public static async Task<string> StateAsync(string dataDirectory)
    {
        // The newest installed version, as postgres.sh picks it.
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .MaxBy(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0) is { } version
            ? Path.Combine(version, "bin")
            : throw new InvalidOperationException("PostgreSQL is not installed under /usr/lib/postgresql");
        using var process = Process.Start(new ProcessStartInfo(Path.Combine(bin, "pg_controldata"), ["-D", Path.Combine(dataDirectory, "postgres")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["LC_ALL"] = "C" },
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        const string label = "Database cluster state:";
        return output.Split('\n').FirstOrDefault(l => l.StartsWith(label, StringComparison.Ordinal))?[label.Length..].Trim()
            ?? throw new InvalidOperationException($"pg_controldata gave no cluster state: {output}{error}");
    }
}
