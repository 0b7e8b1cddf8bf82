using System.Collections.Concurrent;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// When each token was last used, kept in memory so that a request never waits for a write;
/// <see cref="ApiTokenUsageFlusher"/> takes the batch and writes one UPDATE per token.
/// </summary>
public sealed class ApiTokenUsage
{
    private ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Record(Guid tokenId, DateTimeOffset at) =>
        _pending.AddOrUpdate(tokenId, at, (_, previous) => previous > at ? previous : at);

    /// <summary>Everything recorded since the last call; recording goes on into a fresh batch.</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> TakeBatch() => Interlocked.Exchange(ref _pending, new());
}
