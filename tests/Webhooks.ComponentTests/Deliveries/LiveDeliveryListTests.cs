using Webhooks.Dashboard.Deliveries;
using Webhooks.Grains.Deliveries;

namespace Webhooks.ComponentTests.Deliveries;

public sealed class LiveDeliveryListTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewDeliveriesGoOnTopAndAreMarkedFresh()
    {
        var list = new LiveDeliveryList();
        var older = Rows(0, 3);
        list.Reset(Page(older));
        var newer = Rows(3, 2);

        var added = list.MergeNewest(Page([.. newer, .. older]));

        Assert.Equal(2, added);
        Assert.Equal([4, 3, 2, 1, 0], list.Rows.Select(Second));
        Assert.True(list.IsFresh(newer[0].Id));
        Assert.False(list.IsFresh(older[0].Id));
    }

    [Fact]
    public void ARowReadAgainReplacesItsOlderSelfSoStateMovesOn()
    {
        var list = new LiveDeliveryList();
        var rows = Rows(0, 2);
        list.Reset(Page(rows));

        var processed = rows[0] with { State = DeliveryState.Processed };
        var added = list.MergeNewest(Page([processed, rows[1]]));

        Assert.Equal(0, added);
        Assert.Equal(DeliveryState.Processed, list.Rows.Single(r => r.Id == processed.Id).State);
        Assert.Equal(2, list.Rows.Count);
    }

    [Fact]
    public void ARowCommittedAfterAYoungerOneStillFindsItsPlace()
    {
        var list = new LiveDeliveryList();
        var rows = Rows(0, 4);
        list.Reset(Page([rows[3], rows[1], rows[0]]));

        list.MergeNewest(Page([rows[3], rows[2], rows[1], rows[0]]));

        Assert.Equal([3, 2, 1, 0], list.Rows.Select(Second));
    }

    [Fact]
    public void AFullPageNewerThanEverythingShownRestartsTheListInsteadOfLeavingAGap()
    {
        var list = new LiveDeliveryList();
        list.Reset(Page(Rows(0, 3), next: Cursor(Rows(0, 1)[0])));
        var burst = Rows(100, 3);

        list.MergeNewest(Page(burst, next: Cursor(burst[^1])));

        Assert.Equal([102, 101, 100], list.Rows.Select(Second));
        Assert.Equal(Cursor(burst[^1]), list.Older);
    }

    [Fact]
    public void OlderPagesAppendBelowAndTheLastOneEndsPaging()
    {
        var list = new LiveDeliveryList();
        var all = Rows(0, 6);
        var newest = all.Take(3).ToList();
        list.Reset(Page(newest, next: Cursor(newest[^1])));

        list.AppendOlder(Page(all.Skip(3).ToList()));

        Assert.Equal([5, 4, 3, 2, 1, 0], list.Rows.Select(Second));
        Assert.Null(list.Older);
    }

    /// <summary>Rows newest first, one second apart, numbered by their second.</summary>
    private static List<DeliveryListItem> Rows(int from, int count) =>
        [.. Enumerable.Range(from, count).Reverse().Select(second => new DeliveryListItem(
            Guid.CreateVersion7(), Start.AddSeconds(second), "acme", "cloud", null, "cloud", "repo:push", null,
            DeliveryOutcome.Accepted, 202, null, "bitbucket.org/acme/api", DeliveryState.Accepted, 3))];

    private static DeliveryListing Page(IReadOnlyList<DeliveryListItem> rows, DeliveryCursor? next = null) => new(rows, next);

    private static DeliveryCursor Cursor(DeliveryListItem row) => new(row.ReceivedAt, row.Id);

    private static int Second(DeliveryListItem row) => (int)(row.ReceivedAt - Start).TotalSeconds;
}
