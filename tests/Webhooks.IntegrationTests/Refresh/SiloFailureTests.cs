using System.Diagnostics;
using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>Two silos; the one refreshing a warehouse dies mid-refresh; the other finishes the work and loses nothing.</summary>
[Collection(StorageCollection.Name)]
public sealed class SiloFailureTests(StorageFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private RefreshCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RefreshCluster.StartAsync(storage, "grain_failover", silos: 2);

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
}
