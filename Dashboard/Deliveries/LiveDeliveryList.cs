using Webhooks.Grains.Deliveries;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>
/// The rows the Deliveries grid shows: the newest page, polled again and again, merged over the older pages the
/// operator has loaded. Re-reading the whole newest page (not only "rows after the newest seen") catches what a
/// cursor would miss: rows committed a little after younger ones (ingress commits in groups) and rows whose state moved
/// on (accepted → dispatched → processed).
/// </summary>
public sealed class LiveDeliveryList
{
    private readonly List<DeliveryListItem> _rows = [];
    private readonly HashSet<Guid> _fresh = [];

    /// <summary>Newest first.</summary>
    public IReadOnlyList<DeliveryListItem> Rows => _rows;

    /// <summary>Where the next older page starts; null when the oldest row is loaded.</summary>
    public DeliveryCursor? Older { get; private set; }

    /// <summary>True once a first page has been read.</summary>
    public bool Loaded { get; private set; }

    /// <summary>Rows that arrived with the latest poll (not with the first read or an older page).</summary>
    public bool IsFresh(Guid id) => _fresh.Contains(id);

    /// <summary>Starts over from a first page (new filters, or a gap the newest page cannot bridge).</summary>
    public void Reset(DeliveryListing firstPage)
    {
        _rows.Clear();
        _fresh.Clear();
        _rows.AddRange(firstPage.Items);
        Older = firstPage.Next;
        Loaded = true;
    }

    /// <summary>
    /// Merges a fresh read of the newest page. Returns how many rows are new. When the page is full and all of it is
    /// newer than everything shown, rows may be missing between the two: the list then restarts from this page.
    /// </summary>
    public int MergeNewest(DeliveryListing newestPage)
    {
        if (!Loaded)
        {
            Reset(newestPage);
            return 0;
        }

        _fresh.Clear();
        var page = newestPage.Items;
        if (page.Count == 0)
        {
            return 0;
        }

        var byId = _rows.Select((row, index) => (row, index)).ToDictionary(x => x.row.Id, x => x.index);
        var bridged = newestPage.Next is null || _rows.Count == 0 || page.Any(row => byId.ContainsKey(row.Id))
            || Compare(page[^1], _rows[0]) <= 0;
        if (!bridged)
        {
            Reset(newestPage);
            foreach (var row in page)
            {
                _fresh.Add(row.Id);
            }

            return page.Count;
        }

        var added = 0;
        foreach (var row in page)
        {
            if (byId.TryGetValue(row.Id, out var index))
            {
                _rows[index] = row;
            }
            else
            {
                _rows.Add(row);
                _fresh.Add(row.Id);
                added++;
            }
        }

        if (added > 0)
        {
            // Newest first by (receivedAt, id), the history's own order.
            _rows.Sort((a, b) => Compare(b, a));
        }

        if (Older is null && _rows.Count == page.Count)
        {
            Older = newestPage.Next;
        }

        return added;
    }

    /// <summary>Appends the page that starts at <see cref="Older"/>.</summary>
    public void AppendOlder(DeliveryListing olderPage)
    {
        var known = _rows.Select(row => row.Id).ToHashSet();
        _rows.AddRange(olderPage.Items.Where(row => !known.Contains(row.Id)));
        Older = olderPage.Next;
    }

    private static int Compare(DeliveryListItem a, DeliveryListItem b)
    {
        var byTime = a.ReceivedAt.CompareTo(b.ReceivedAt);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }
}
