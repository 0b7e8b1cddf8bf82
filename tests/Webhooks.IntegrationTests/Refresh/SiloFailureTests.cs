using System.Diagnostics;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Two silos; the one refreshing a warehouse dies mid-refresh; the other finishes the work and loses nothing, and never
/// refreshes beside a dead silo's refresh that is somehow still running.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class SiloFailureTests(StorageFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private RefreshCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await RefreshCluster.StartAsync(storage, "grain_failover", silos: 2, new Dictionary<string, string?>
        {
            ["Webhooks:Refresh:RetryBaseDelay"] = "00:00:00.200",
            ["Webhooks:Refresh:RetryMaxDelay"] = "00:00:01",
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task SiloKilledDuringARefreshLeavesItToTheOtherSilo()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("failover");
        var gate = _cluster.Probe.HoldListings();
        var grain = _cluster.Warehouse(warehouse);
        var heads = Enumerable.Range(1, 20).Select(i => CloudPush.Hash($"failover-{i}")).ToList();

        var first = await grain.RequestRefreshAsync(warehouse.Push(heads[0]));
        // The refresh is provably in flight: its listing waits at the gate, on the silo that hosts the warehouse.
        var victim = await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var queued = await Task.WhenAll(heads.Skip(1).Select(head => grain.RequestRefreshAsync(warehouse.Push(head))));
        var running = Assert.Single(await _cluster.RefreshesAsync(warehouse));
        Assert.Equal(RefreshStatus.Running, running.Status);

        var clock = Stopwatch.StartNew();
        await _cluster.KillAsync(victim);
        // Its process is gone, and its listing with it; the surviving silo lists freely.
        gate.Kill(victim);
        gate.Open();

        // The survivor's sweeper resumes the warehouse once the cluster has declared the victim dead.
        await _cluster.IdleAsync(warehouse, TimeSpan.FromSeconds(45));
        output.WriteLine($"Killed {victim}; the other silo finished the refresh {clock.Elapsed.TotalSeconds:F1} s later");

        var requests = await _cluster.RequestsAsync(warehouse);
        Assert.Equal(queued.Select(a => a.RequestId).Append(first.RequestId).Order(), requests.Select(r => r.Id).Order());
        Assert.All(requests, r => Assert.Contains(r.Outcome, new RefreshRequestOutcome?[] { RefreshRequestOutcome.Refreshed, RefreshRequestOutcome.Coalesced }));
        var refreshes = await _cluster.RefreshesAsync(warehouse);
        Assert.Equal(RefreshStatus.Interrupted, refreshes[0].Status);
        Assert.Equal(running.Id, refreshes[0].Id);
        var finishing = Assert.Single(refreshes.Skip(1));
        Assert.Equal(RefreshStatus.Succeeded, finishing.Status);
        Assert.Equal(heads.Count, finishing.Requests);
        Assert.True(finishing.StartedAt >= refreshes[0].FinishedAt, "the finishing refresh started before the interrupted one was closed");
        var freight = Assert.Single(await _cluster.FreightAsync(warehouse));
        Assert.Equal(requests[^1].Heads.Single().Commit, freight.Commit);

        var listings = _cluster.Probe.Listings.Where(l => l.Url == warehouse.ProbeUrl).ToList();
        Assert.Contains(listings, l => l.Silo != victim);
        Assert.Empty(_cluster.Probe.Overlaps);
    }

    [Fact]
    public async Task RefreshOfASiloDeclaredDeadButStillRunningKeepsTheOtherSiloWaiting()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("zombie");
        var gate = _cluster.Probe.HoldListings();
        var head = CloudPush.Hash("zombie-1");
        await _cluster.Warehouse(warehouse).RequestRefreshAsync(warehouse.Push(head));
        var zombie = await gate.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        var survivor = _cluster.Silos.Single(s => s.Name != zombie).Name;
        gate.Release(survivor);

        // The cluster declares the silo dead, but its refresh goes on (as across a network partition): it still holds
        // the warehouse's lock in PostgreSQL.
        await _cluster.KillAsync(zombie);
        bool SurvivorListed() => _cluster.Probe.Listings.Any(l => l.Url == warehouse.ProbeUrl && l.Silo == survivor)
            || _cluster.Probe.Overlaps.Count > 0;
        await Poll.UntilAsync(
            () => Task.FromResult(SurvivorListed() || _cluster.Logs.Lines.Any(l => l.Contains("is being refreshed by another activation", StringComparison.Ordinal))),
            happened => happened, "the surviving silo to take the warehouse up", TimeSpan.FromSeconds(45));
        Assert.Empty(_cluster.Probe.Overlaps);
        Assert.False(SurvivorListed(), "the surviving silo refreshed while the dead silo's refresh still ran");

        // The zombie's refresh ends; the survivor's next attempt takes the request.
        gate.Kill(zombie);
        await _cluster.IdleAsync(warehouse);

        var freight = Assert.Single(await _cluster.FreightAsync(warehouse));
        Assert.Equal(head, freight.Commit);
        var request = Assert.Single(await _cluster.RequestsAsync(warehouse));
        Assert.Equal(RefreshRequestOutcome.Refreshed, request.Outcome);
        Assert.Equal([RefreshStatus.Interrupted, RefreshStatus.Succeeded], (await _cluster.RefreshesAsync(warehouse)).Select(r => r.Status));
        Assert.Contains(_cluster.Probe.Listings, l => l.Url == warehouse.ProbeUrl && l.Silo == survivor);
        Assert.Empty(_cluster.Probe.Overlaps);
    }
}
