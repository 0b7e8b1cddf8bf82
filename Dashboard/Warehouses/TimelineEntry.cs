using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Warehouses;

/// <summary>
/// One line of a warehouse's refresh timeline: a refresh with the requests it took, or a request that needed no
/// refresh (deduplicated, abandoned) or is still waiting for one (<see cref="Refresh"/> null).
/// </summary>
public sealed record TimelineEntry(DateTimeOffset At, RefreshView? Refresh, IReadOnlyList<RefreshRequestView> Requests)
{
    /// <summary>
    /// Newest first: each refresh with its requests (oldest request first), then requests without a refresh in the
    /// lists as lines of their own; requests still pending are one line at the top.
    /// </summary>
    public static IReadOnlyList<TimelineEntry> Build(IReadOnlyList<RefreshView> refreshes, IReadOnlyList<RefreshRequestView> requests)
    {
        var byRefresh = requests.Where(r => r.RefreshId is not null).ToLookup(r => r.RefreshId!.Value);
        var shown = refreshes.Select(r => r.Id).ToHashSet();
        var entries = refreshes
            .Select(refresh => new TimelineEntry(refresh.StartedAt, refresh, byRefresh[refresh.Id].OrderBy(r => r.RequestedAt).ToList()))
            .Concat(requests
                .Where(r => r.Outcome is not null && (r.RefreshId is null || !shown.Contains(r.RefreshId.Value)))
                .Select(r => new TimelineEntry(r.RequestedAt, null, [r])))
            .OrderByDescending(e => e.At)
            .ToList();

        var pending = requests.Where(r => r.Outcome is null).OrderBy(r => r.RequestedAt).ToList();
        if (pending.Count > 0)
        {
            entries.Insert(0, new TimelineEntry(pending[^1].RequestedAt, null, pending));
        }

        return entries;
    }

    public bool IsPending => Refresh is null && Requests.Count > 0 && Requests[0].Outcome is null;
}
