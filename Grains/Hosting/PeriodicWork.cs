using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.Grains.Hosting;

/// <summary>
/// Work every replica repeats on a period once the host has started (the silo with it, so grains can be called):
/// the first run is at once, a run that throws is logged and the next tick tries again, stopping the host ends it.
/// </summary>
public abstract partial class PeriodicWork(IHostApplicationLifetime lifetime, TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    /// <summary>How long between the starts of two runs; read once, when the work starts.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the work does, for the log line of a failed run ("Refresh sweep").</summary>
    protected abstract string Name { get; }

    /// <summary>One run. Public callers (tests, an operator action) may also call it directly.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await ApplicationStarted.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(Interval, clock);
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRunFailed(Name, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Work} failed; trying again at the next tick")]
    private partial void LogRunFailed(string work, Exception exception);
}
