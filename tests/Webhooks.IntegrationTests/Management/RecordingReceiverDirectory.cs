using System.Collections.Concurrent;
using Webhooks.Grains.Receivers;

namespace Webhooks.IntegrationTests.Management;

/// <summary>
/// Wraps the Receiver's own <see cref="IReceiverDirectory"/> (when it has one) and remembers which paths the
/// management API invalidated, so tests can check that every change reaches ingress's cache.
/// </summary>
internal sealed class RecordingReceiverDirectory(IReceiverDirectory? inner) : IReceiverDirectory
{
    private readonly ConcurrentQueue<string> _invalidated = new();

    public IReadOnlyCollection<string> Invalidated => _invalidated;

    public ValueTask<ReceiverEntry?> FindAsync(string path, CancellationToken cancellationToken) =>
        inner?.FindAsync(path, cancellationToken) ?? ValueTask.FromResult<ReceiverEntry?>(null);

    public async ValueTask InvalidateAsync(string path, CancellationToken cancellationToken)
    {
        _invalidated.Enqueue(path);
        if (inner is not null)
        {
            await inner.InvalidateAsync(path, cancellationToken);
        }
    }
}
