namespace Webhooks.Dashboard.Components.Shared.Charts;

/// <summary>One bar: the counts of each series in [<see cref="Start"/>, <see cref="Start"/> + width).</summary>
public sealed record TimeBucket(DateTimeOffset Start, IReadOnlyDictionary<string, long> Counts)
{
    public long Total => Counts.Values.Sum();

    public long this[string series] => Counts.TryGetValue(series, out var count) ? count : 0;
}
