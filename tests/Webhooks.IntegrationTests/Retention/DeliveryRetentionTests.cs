using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Retention;

/// <summary>The history keeps the configured window and nothing older, without losing unfinished work.</summary>
[Collection(StorageCollection.Name)]
public sealed class DeliveryRetentionTests(StorageFixture storage) : IAsyncLifetime
{
    private ReceiverFactory _factory = null!;

    public Task InitializeAsync()
    {
        _factory = new ReceiverFactory(storage, "retention");
        _factory.Settings["Webhooks:Retention:DeliveryWindow"] = "7.00:00:00";
        _factory.Settings["Webhooks:Retention:Interval"] = "00:00:00.200";
        // Small batches: pruning the old rows takes several statements.
        _factory.Settings["Webhooks:Retention:BatchSize"] = "3";
        // The unfinished delivery's open request must stay open for the test: the refresh sweeper leaves it alone.
        _factory.Settings["Webhooks:Refresh:PendingGrace"] = "01:00:00";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task DeliveriesOlderThanTheWindowArePrunedInBatchesAndUnfinishedOnesAreKept()
    {
        using var admin = _factory.CreateAdminClient();
        var now = DateTimeOffset.UtcNow;
        var old = Enumerable.Range(0, 10).Select(i => NewDelivery(now.AddDays(-8).AddMinutes(-i))).ToList();
        var oldRejected = NewDelivery(now.AddDays(-9), DeliveryOutcome.Rejected);
        var oldUnfinished = NewDelivery(now.AddDays(-8));
        var recent = NewDelivery(now.AddDays(-6));
        await using (var db = await CreateDbAsync())
        {
            db.Deliveries.AddRange([.. old, oldRejected, oldUnfinished, recent]);
            db.DeliveryProgress.AddRange([.. old.Append(recent).Select(d => Progress(d, processed: true)), Progress(oldUnfinished, processed: false)]);
            // Dispatched to a warehouse that has not refreshed yet: its request is still open.
            var project = new Project { Name = "retention" };
            var warehouse = new Warehouse { ProjectId = project.Id, Name = "slow", CreatedAt = now, UpdatedAt = now };
            db.Projects.Add(project);
            db.Warehouses.Add(warehouse);
            db.AddRefreshRequest(new RefreshRequest
            {
                WarehouseId = warehouse.Id, DeliveryId = oldUnfinished.Id, Reason = RefreshReason.Push, RequestedAt = now,
            });
            await db.SaveChangesAsync();
        }

        var left = await Poll.UntilAsync(RemainingIdsAsync, ids => ids.Count == 2, "the history older than the window to be pruned");

        Assert.Equal(new[] { oldUnfinished.Id, recent.Id }.Order(), left.Order());
        // Their lifecycle rows went with them.
        await using (var db = await CreateDbAsync())
        {
            var seeded = old.Select(d => d.Id).Append(oldUnfinished.Id).Append(recent.Id).ToList();
            var progress = await db.DeliveryProgress.Where(p => seeded.Contains(p.DeliveryId))
                .Select(p => p.DeliveryId).ToListAsync();
            Assert.Equal(new[] { oldUnfinished.Id, recent.Id }.Order(), progress.Order());
        }

        // The history API agrees, and ingress still answers while and after pruning.
        var listed = await admin.GetAsync($"/api/deliveries/{old[0].Id}");
        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        var kept = await admin.GetAsync($"/api/deliveries/{recent.Id}");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(admin, "acme", "cloud");
        using var client = _factory.CreateClient();
        var push = await client.SendAsync(BitbucketSender.Cloud(url, "repo:push", CloudPush.Body("acme/kept", CloudPush.Branch("main", CloudPush.Hash("kept"))), secret));
        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
    }

    private async Task<List<Guid>> RemainingIdsAsync()
    {
        await using var db = await CreateDbAsync();
        return await db.Deliveries.Where(d => d.RequestId!.StartsWith("retention-")).Select(d => d.Id).ToListAsync();
    }

    private async Task<WebhooksDbContext> CreateDbAsync() =>
        await _factory.Services.GetRequiredService<IDbContextFactory<WebhooksDbContext>>().CreateDbContextAsync();

    private static DeliveryProgress Progress(Delivery delivery, bool processed) => new()
    {
        DeliveryId = delivery.Id,
        AcceptedAt = delivery.ReceivedAt,
        DispatchedAt = delivery.ReceivedAt.AddMilliseconds(5),
        Warehouses = processed ? 0 : 1,
    };

    private static Delivery NewDelivery(DateTimeOffset receivedAt, DeliveryOutcome outcome = DeliveryOutcome.Accepted) => new()
    {
        ReceivedAt = receivedAt,
        Source = "cloud",
        Event = "repo:push",
        RequestId = $"retention-{Guid.NewGuid()}",
        Outcome = outcome,
        StatusCode = outcome == DeliveryOutcome.Accepted ? 202 : 401,
        Answer = "{}",
    };
}
