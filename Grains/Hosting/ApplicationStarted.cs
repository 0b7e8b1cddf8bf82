using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Hosting;

public static class ApplicationStarted
{
    /// <summary>
    /// Waits until the host has started (the silo with it, so grains can be called); false when it stops first.
    /// Background sweepers call this before their first sweep.
    /// </summary>
    public static async Task<bool> WaitAsync(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
