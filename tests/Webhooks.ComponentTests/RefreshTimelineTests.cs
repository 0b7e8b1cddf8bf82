using Bunit;
using Webhooks.Dashboard.Warehouses;
using Webhooks.Grains.Warehouses;

namespace Webhooks.ComponentTests;

public sealed class RefreshTimelineTests : FluentContext
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RefreshesListTheRequestsTheyTookAndWaitingOrDeduplicatedRequestsStandAlone()
    {
        var refresh = new RefreshView(Guid.NewGuid(), T0.AddSeconds(1), T0.AddSeconds(1.25), "succeeded", Requests: 2, Coalesced: 1, NewFreight: 1, null);
        RefreshRequestView[] requests =
        [
            new(Guid.NewGuid(), "push", Guid.NewGuid(), T0, "refreshed", refresh.Id, T0.AddSeconds(1.25)),
            new(Guid.NewGuid(), "push", Guid.NewGuid(), T0.AddSeconds(0.5), "coalesced", refresh.Id, T0.AddSeconds(1.25)),
            new(Guid.NewGuid(), "push", Guid.NewGuid(), T0.AddSeconds(5), "deduplicated", null, T0.AddSeconds(5)),
            new(Guid.NewGuid(), "manual", null, T0.AddSeconds(9), null, null, null),
        ];

        var timeline = Render<RefreshTimeline>(parameters => parameters
            .Add(p => p.Refreshes, [refresh])
            .Add(p => p.Requests, requests));

        var entries = timeline.Find("[data-testid=timeline]").Children;
        Assert.Equal(3, entries.Length);
        Assert.Equal("timeline-pending", entries[0].GetAttribute("data-testid"));
        Assert.Contains("1 request waits", entries[0].TextContent);
        Assert.Equal("deduplicated", entries[1].QuerySelector("[data-testid=timeline-request]")!.GetAttribute("data-outcome"));
        Assert.Equal("succeeded", entries[2].GetAttribute("data-status"));
        Assert.Contains("2 requests, 1 coalesced", entries[2].TextContent);
        Assert.Contains("took 250 ms", entries[2].QuerySelector("[data-testid=duration]")!.TextContent);
        Assert.Equal(
            new[] { "refreshed", "coalesced" },
            entries[2].QuerySelectorAll("[data-testid=timeline-request]").Select(r => r.GetAttribute("data-outcome")!).ToArray());
    }

    [Fact]
    public void AWarehouseNeverRefreshedSaysWhatStartsARefresh()
    {
        var timeline = Render<RefreshTimeline>(parameters => parameters
            .Add(p => p.Refreshes, [])
            .Add(p => p.Requests, []));

        Assert.Contains("Refresh now", timeline.Find("[data-testid=no-refreshes]").TextContent);
    }
}
