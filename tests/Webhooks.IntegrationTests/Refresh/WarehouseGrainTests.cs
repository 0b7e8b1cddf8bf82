using System.Diagnostics;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// The warehouse grain under bursts, on a silo running the product's services against PostgreSQL: a thousand requests
/// at once are all durable, collapse into a handful of refreshes that never overlap, and end with the right Freight.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class WarehouseGrainTests(StorageFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Burst = 1000;

    private RefreshCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RefreshCluster.StartAsync(storage, "grain_burst");
        // Each refresh lists the probe repository for this long: a burst arrives while the first refresh runs.
        _cluster.Probe.Delay = TimeSpan.FromMilliseconds(200);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ThousandConcurrentRequestsForDistinctHeadsRunAtMostThreeRefreshesAndEndWithTheLastHead()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("distinct");
        var grain = _cluster.Warehouse(warehouse);
        var heads = Enumerable.Range(1, Burst).Select(i => CloudPush.Hash($"distinct-{i}")).ToList();

        var clock = Stopwatch.StartNew();
        var acknowledgements = await Task.WhenAll(heads.Select(head => grain.RequestRefreshAsync(warehouse.Push(head))));
        var acknowledged = clock.Elapsed;
        await _cluster.IdleAsync(warehouse);
        var idle = clock.Elapsed;

        // Every acknowledged request is a row, and none was deduplicated (every head is new).
        Assert.All(acknowledgements, a => Assert.Null(a.Outcome));
        var requests = await _cluster.RequestsAsync(warehouse);
        Assert.Equal(acknowledgements.Select(a => a.RequestId).Order(), requests.Select(r => r.Id).Order());
        var refreshes = await _cluster.RefreshesAsync(warehouse);
        output.WriteLine($"{Burst} distinct heads: acknowledged in {acknowledged.TotalMilliseconds:F0} ms, idle after {idle.TotalMilliseconds:F0} ms, " +
            $"{refreshes.Count} refresh(es) taking {string.Join(" + ", refreshes.Select(r => r.Requests))} requests");
        Assert.InRange(refreshes.Count, 1, 3);
        Assert.All(refreshes, r => Assert.Equal(RefreshStatus.Succeeded, r.Status));
        Assert.Equal(Burst, refreshes.Sum(r => r.Requests));
        Assert.Equal(refreshes.Count, requests.Count(r => r.Outcome == RefreshRequestOutcome.Refreshed));
        Assert.Equal(Burst - refreshes.Count, requests.Count(r => r.Outcome == RefreshRequestOutcome.Coalesced));
        AssertNeverTwoAtOnce(refreshes);

        // The requests in the order the warehouse took them: the last one's head is the latest Freight.
        var freight = await _cluster.FreightAsync(warehouse);
        Assert.Equal(requests[^1].Heads.Single().Commit, freight[0].Commit);
        Assert.Equal(refreshes.Count, freight.Count);
    }

    [Fact]
    public async Task ThousandConcurrentRequestsForOneHeadRunOneRefreshAndMakeOneFreight()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("same");
        var grain = _cluster.Warehouse(warehouse);
        var head = CloudPush.Hash("same-head");

        var clock = Stopwatch.StartNew();
        var acknowledgements = await Task.WhenAll(Enumerable.Range(0, Burst).Select(_ => grain.RequestRefreshAsync(warehouse.Push(head))));
        await _cluster.IdleAsync(warehouse);
        var idle = clock.Elapsed;

        var requests = await _cluster.RequestsAsync(warehouse);
        Assert.Equal(Burst, requests.Count);
        var refresh = Assert.Single(await _cluster.RefreshesAsync(warehouse));
        Assert.Equal(RefreshStatus.Succeeded, refresh.Status);
        Assert.Single(requests, r => r.Outcome == RefreshRequestOutcome.Refreshed);
        var coalesced = requests.Count(r => r.Outcome == RefreshRequestOutcome.Coalesced);
        var deduplicated = requests.Count(r => r.Outcome == RefreshRequestOutcome.Deduplicated);
        Assert.Equal(Burst - 1, coalesced + deduplicated);
        Assert.Equal(refresh.Requests, 1 + coalesced);
        output.WriteLine($"{Burst} requests for one head: idle after {idle.TotalMilliseconds:F0} ms; 1 refresh, {coalesced} coalesced, " +
            $"{deduplicated} deduplicated ({acknowledgements.Count(a => a.Outcome == RefreshRequestOutcome.Deduplicated)} at intake)");
        var freight = Assert.Single(await _cluster.FreightAsync(warehouse));
        Assert.Equal(head, freight.Commit);
        Assert.Empty(_cluster.Probe.Overlaps);
    }

    [Fact]
    public async Task RequestsForTheHeadARunningRefreshIsDiscoveringAreDeduplicatedWithoutAnotherRefresh()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("during");
        var grain = _cluster.Warehouse(warehouse);
        var head = CloudPush.Hash("during-head");
        var gate = _cluster.Probe.HoldListings();
        await grain.RequestRefreshAsync(warehouse.Push(head));
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        // The head is not Freight yet, so these wait as pending requests while the refresh runs.
        var during = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => grain.RequestRefreshAsync(warehouse.Push(head))));
        gate.Open();
        await _cluster.IdleAsync(warehouse);

        Assert.All(during, a => Assert.Null(a.Outcome));
        var refresh = Assert.Single(await _cluster.RefreshesAsync(warehouse));
        Assert.Equal(1, refresh.Requests);
        var requests = await _cluster.RequestsAsync(warehouse);
        Assert.Equal(RefreshRequestOutcome.Refreshed, requests[0].Outcome);
        Assert.All(requests.Skip(1), r => Assert.Equal(RefreshRequestOutcome.Deduplicated, r.Outcome));
        Assert.Equal(head, Assert.Single(await _cluster.FreightAsync(warehouse)).Commit);
    }

    [Fact]
    public async Task DeliveryDispatchedTwiceWithinABurstAsksOnce()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("redispatch");
        var grain = _cluster.Warehouse(warehouse);
        var pushes = Enumerable.Range(1, 200).Select(i => warehouse.Push(CloudPush.Hash($"redispatch-{i}"))).ToList();

        // The sweeper re-dispatching deliveries the repository grain is still routing: each delivery arrives twice.
        var acknowledgements = await Task.WhenAll(pushes.Concat(pushes).Select(grain.RequestRefreshAsync));
        var again = await Task.WhenAll(pushes.Take(10).Select(grain.RequestRefreshAsync));
        await _cluster.IdleAsync(warehouse);

        var requests = await _cluster.RequestsAsync(warehouse);
        Assert.Equal(pushes.Select(p => p.DeliveryId).Order(), requests.Select(r => r.DeliveryId).Order());
        // Both copies of a delivery were answered with its one request, and so was a re-dispatch after the burst.
        Assert.Equal(acknowledgements.Take(pushes.Count).Select(a => a.RequestId), acknowledgements.Skip(pushes.Count).Select(a => a.RequestId));
        Assert.Equal(acknowledgements.Take(10).Select(a => a.RequestId), again.Select(a => a.RequestId));
        Assert.All(requests, r => Assert.NotNull(r.CompletedAt));
        Assert.Empty(_cluster.Probe.Overlaps);
    }

    /// <summary>Refresh rows, in start order, each start no earlier than the previous end; and the probe saw no overlap.</summary>
    private void AssertNeverTwoAtOnce(IReadOnlyList<RefreshRun> refreshes)
    {
        for (var i = 1; i < refreshes.Count; i++)
        {
            Assert.True(refreshes[i].StartedAt >= refreshes[i - 1].FinishedAt,
                $"refresh {i} started at {refreshes[i].StartedAt:O} before refresh {i - 1} finished at {refreshes[i - 1].FinishedAt:O}");
        }

        Assert.Empty(_cluster.Probe.Overlaps);
    }
}
