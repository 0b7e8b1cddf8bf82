using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Processes;

namespace Webhooks.AppHost.Hosting.Postgres;

/// <summary>
/// An AppHost that was killed can leave its postgres running on the data directory; a new one would then wait
/// forever for a lock. Stop it (fast shutdown) or say clearly that it will not stop.
/// </summary>
internal static class StalePostmaster
{
    public static async Task StopIfRunningAsync(string postgresData, ResourceLogger log, CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(postgresData, "postmaster.pid");
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
            || !Posix.IsAlive(pid)
            || !IsPostgres(pid))
        {
            return;
        }

        log.WriteLine($"a postgres server (pid {pid}) left by an earlier run still uses {postgresData}; stopping it");
        if (await SignalAndWaitAsync(pid, Posix.SigInt, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false)
            || await SignalAndWaitAsync(pid, Posix.SigQuit, TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        throw new StartupException(FailureMessages.PostmasterStillRunning(pid, postgresData));
    }

    private static async Task<bool> SignalAndWaitAsync(int pid, int signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Posix.Signal(pid, signal);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!Posix.IsAlive(pid))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return !Posix.IsAlive(pid);
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim().StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
