using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>The silo's dispatches are committed together, and one the database refuses fails alone.</summary>
[Collection(StorageCollection.Name)]
public sealed class DispatchWriterTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_dispatch_writer");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DispatchesOfManyRepositoriesAreAllCommittedAndOneTheDatabaseRefusesFailsAlone()
    {
        var warehouse = await _host.CreateWarehouseAsync("acme", "writer", [new { repoUrl = "https://bitbucket.org/acme/writer", branch = "main" }]);
        var warehouseId = warehouse.GetProperty("id").GetGuid();
        var deliveries = Enumerable.Range(0, 40).Select(_ => Accepted()).ToList();
        var refused = Accepted();
        await _host.WithDbAsync(async db =>
        {
            db.Deliveries.AddRange([.. deliveries, refused]);
            db.DeliveryProgress.AddRange([.. deliveries.Append(refused).Select(d => new DeliveryProgress { DeliveryId = d.Id, AcceptedAt = d.ReceivedAt })]);
            return await db.SaveChangesAsync();
        });

        // Submitted at once, as the repository grains of a busy silo do: they share round trips. One of them carries a
        // value its column cannot hold.
        var writer = _host.Services.GetRequiredService<DispatchWriter>();
        var written = deliveries.Select(d => writer.WriteAsync([Request(warehouseId, d.Id, "bitbucket.org/acme/writer")], [(d.Id, 1)])).ToList();
        var failed = writer.WriteAsync([Request(warehouseId, refused.Id, new string('x', 600))], [(refused.Id, 1)]);

        await Task.WhenAll(written);
        await Assert.ThrowsAsync<PostgresException>(() => failed);
        var states = await _host.WithDbAsync(db => db.DeliveryStatus.AsNoTracking()
            .Where(s => s.DeliveryId == refused.Id || deliveries.Select(x => x.Id).Contains(s.DeliveryId))
            .ToDictionaryAsync(s => s.DeliveryId, s => s.State));
        // Dispatched (or already processed, should the refresh sweeper have resumed the warehouse meanwhile).
        Assert.All(deliveries, d => Assert.Contains(states[d.Id], new[] { DeliveryState.Dispatched, DeliveryState.Processed }));
        Assert.Equal(DeliveryState.Accepted, states[refused.Id]);
        var requested = await _host.WithDbAsync(db => db.RefreshRequests.AsNoTracking()
            .Where(r => r.WarehouseId == warehouseId)
            .Select(r => r.DeliveryId!.Value)
            .ToListAsync());
        Assert.Equal(deliveries.Select(d => d.Id).Order(), requested.Order());
    }

    private static Delivery Accepted() => new()
    {
        ReceivedAt = DateTimeOffset.UtcNow,
        Source = "cloud",
        Event = "repo:push",
        RequestId = Guid.NewGuid().ToString(),
        Outcome = DeliveryOutcome.Accepted,
        StatusCode = 202,
        RepositoryKey = "bitbucket.org/acme/writer",
        Answer = """{"outcome":"accepted"}""",
    };

    private static RefreshRequest Request(Guid warehouseId, Guid deliveryId, string repositoryKey) => new()
    {
        WarehouseId = warehouseId,
        DeliveryId = deliveryId,
        Reason = RefreshReason.Push,
        RepositoryKey = repositoryKey,
        Heads = [new RequestedHead(Guid.Empty, "bitbucket.org/acme/writer", "refs/heads/main", CloudPush.Hash(deliveryId.ToString()), "m", "a")],
        RequestedAt = DateTimeOffset.UtcNow,
    };
}
