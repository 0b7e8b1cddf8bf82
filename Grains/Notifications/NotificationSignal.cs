namespace Webhooks.Grains.Notifications;

/// <summary>
/// Wakes this replica's notification dispatcher when a refresh committed new outbox rows, so downstream hears of new
/// Freight at once instead of at the next poll. Losing a signal only delays delivery until that poll.
/// </summary>
public sealed class NotificationSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Someone else signalled first: one wake-up is enough.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
