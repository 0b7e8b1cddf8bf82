using Microsoft.Extensions.Options;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Caps how much database work the refresh engine's grains do at once in one silo (<see cref="RefreshOptions.MaxConcurrentDatabaseWork"/>),
/// below the connection pool's size: with a thousand warehouses refreshing together, each pass holding two connections,
/// the pool ran dry and ingress — which must commit before it answers — waited behind the grains. Waiting here is an
/// <c>await</c>, never a blocked thread, so an Orleans scheduler thread is never held. Refresh intake and git-mode
/// passes take a slot; payload-mode passes share the <see cref="RefreshPassBatcher"/>'s connection instead.
/// </summary>
public sealed class GrainDatabaseGate(IOptions<RefreshOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentDatabaseWork, options.Value.MaxConcurrentDatabaseWork);

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async Task<Slot> EnterAsync(CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>One unit of database work in progress.</summary>
    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
