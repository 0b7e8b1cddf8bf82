using Microsoft.EntityFrameworkCore;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Payload-mode warehouses, whose refresh passes the silo reads and commits together (<c>RefreshPassBatcher</c>): each
/// warehouse still ends with its own Freight, run and completed requests, and still backs off while another session
/// holds its refresh lock.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class PayloadPassTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await RefreshCluster.StartAsync(storage, "payload_pass");

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task PushesToFortyWarehousesAtOnceGiveEachItsOwnFreightRunAndCompletedRequest()
    {
        var warehouses = new List<TestWarehouse>();
        for (var i = 0; i < 40; i++)
        {
            warehouses.Add(await _cluster.CreateWarehouseAsync($"many-{i}", probed: false));
        }

        var heads = warehouses.ToDictionary(w => w.Id, w => CloudPush.Hash($"head-of-{w.RepositoryKey}"));
        var acknowledgements = await Task.WhenAll(warehouses.Select(w => _cluster.Warehouse(w).RequestRefreshAsync(w.Push(heads[w.Id]))));
        Assert.All(acknowledgements, a => Assert.Null(a.Outcome));
        foreach (var warehouse in warehouses)
        {
            await _cluster.IdleAsync(warehouse);
        }

        foreach (var warehouse in warehouses)
        {
            var freight = Assert.Single(await _cluster.FreightAsync(warehouse));
            Assert.Equal(heads[warehouse.Id], freight.Commit);
            var run = Assert.Single(await _cluster.RefreshesAsync(warehouse));
            Assert.Equal((RefreshStatus.Succeeded, 1, 1), (run.Status, run.Requests, run.NewFreight));
            Assert.Equal(run.Id, freight.RefreshId);
            var request = Assert.Single(await _cluster.RequestsAsync(warehouse));
            Assert.Equal((RefreshRequestOutcome.Refreshed, run.Id), (request.Outcome, request.RefreshId));
            Assert.Equal([request.DeliveryId!.Value], freight.DeliveryIds);
            var lastRefreshAt = await _cluster.WithDbAsync(db => db.Warehouses.Where(w => w.Id == warehouse.Id).Select(w => w.LastRefreshAt).SingleAsync());
            // Still the time the warehouse was created with: the poller's clock is not written for a payload-only warehouse.
            Assert.True(lastRefreshAt < run.StartedAt, $"LastRefreshAt {lastRefreshAt:O} was written by the run started {run.StartedAt:O}");
        }

        // The writers' connections go back to their pool without a reset: the passes must have given their locks back.
        Assert.Equal(0, await LocksHeldOnceThePassesEndAsync(warehouses));
    }

    [Fact]
    public async Task AWarehouseWhoseLockAnotherSessionHoldsWaitsAndRefreshesOnceItIsReleased()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("locked", probed: false);
        var head = CloudPush.Hash("locked-1");
        await using var other = new NpgsqlConnection(_cluster.ConnectionString);
        await other.OpenAsync();
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", other) { Parameters = { new() { Value = PassStatements.KeyOf(warehouse.Id) } } })
        {
            await take.ExecuteScalarAsync();
        }

        await _cluster.Warehouse(warehouse).RequestRefreshAsync(warehouse.Push(head));
        await Poll.UntilAsync(
            () => Task.FromResult(_cluster.Logs.Lines.Any(l => l.Contains($"Warehouse {warehouse.Id} is being refreshed by another activation", StringComparison.Ordinal))),
            busy => busy,
            "the pass to find the lock held",
            TimeSpan.FromSeconds(30));
        Assert.Empty(await _cluster.FreightAsync(warehouse));
        Assert.Null(Assert.Single(await _cluster.RequestsAsync(warehouse)).CompletedAt);
        Assert.Equal(1, await WarehouseLocksHeldAsync([warehouse]));

        await using (var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", other))
        {
            await release.ExecuteScalarAsync();
        }

        await _cluster.IdleAsync(warehouse);
        Assert.Equal(head, Assert.Single(await _cluster.FreightAsync(warehouse)).Commit);
        Assert.Equal(0, await LocksHeldOnceThePassesEndAsync([warehouse]));
    }

    /// <summary>
    /// The refresh locks of <paramref name="warehouses"/> still held once their passes have ended. A warehouse idle in the
    /// database may still run an empty pass for a moment (a request's wake-up that came after the pass taking it had
    /// read sets off one more look, which takes the lock and gives it back); a lock a pooled connection kept is held for
    /// good, so the deadline passes and the count stays above zero.
    /// </summary>
    private async Task<long> LocksHeldOnceThePassesEndAsync(IReadOnlyCollection<TestWarehouse> warehouses)
    {
        try
        {
            return await Poll.UntilAsync(() => WarehouseLocksHeldAsync(warehouses), held => held == 0, "every pass to give its lock back",
                TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            return await WarehouseLocksHeldAsync(warehouses);
        }
    }

    /// <summary>
    /// The refresh locks of <paramref name="warehouses"/> any session holds (a bigint advisory key is split into classid
    /// and objid in <c>pg_locks</c>; other advisory locks, such as retention's, are not counted).
    /// </summary>
    private async Task<long> WarehouseLocksHeldAsync(IEnumerable<TestWarehouse> warehouses)
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = ANY($1)",
            connection)
        {
            Parameters = { new() { Value = warehouses.Select(w => PassStatements.KeyOf(w.Id)).ToArray() } },
        };
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
