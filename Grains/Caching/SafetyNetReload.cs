namespace Webhooks.Grains.Caching;

/// <summary>
/// When a grain reloads its copy of what the management API changes (subscriptions, a warehouse's settings). The API
/// invalidates the copy on every change; this reload is the safety net for an invalidation lost to a silo failure, at
/// least once every two minutes: a minute, then at random within the next one. Without the spread, grains activated
/// together (a thousand at once after a burst) reloaded in the same second of every minute, and that second's database
/// queries queued every answer behind them (a slow window each minute of the soak, docs/benchmarks.md); spread over
/// half a minute they still came as a storm of queries the half minute after a burst.
/// </summary>
internal static class SafetyNetReload
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>When a copy loaded at <paramref name="loadedAt"/> is to be loaded again.</summary>
    public static DateTimeOffset After(DateTimeOffset loadedAt) =>
        loadedAt + Interval * (1 + Random.Shared.NextDouble());
}
