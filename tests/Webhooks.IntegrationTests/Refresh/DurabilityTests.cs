using System.Net;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>Work a dead replica left in PostgreSQL is finished by the sweepers of the living ones.</summary>
[Collection(StorageCollection.Name)]
public sealed class DurabilityTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_durable");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PendingRequestLeftByADeadSiloIsResumedBySweeper()
    {
        var warehouse = await _host.CreateWarehouseAsync("acme", "resume", [new { repoUrl = "https://bitbucket.org/acme/resume", branch = "main" }]);
        var warehouseId = warehouse.GetProperty("id").GetGuid();
        var head = CloudPush.Hash("resume-1");

        // What a silo that crashed after acknowledging a request leaves behind: a pending row, nobody working on it.
        await _host.WithDbAsync(async db =>
        {
            db.AddRefreshRequest(new RefreshRequest
            {
                WarehouseId = warehouseId,
                Reason = RefreshReason.Push,
                RepositoryKey = "bitbucket.org/acme/resume",
                Heads = [new RequestedHead(Guid.Empty, "bitbucket.org/acme/resume", "refs/heads/main", head, "Resumed", "Dev")],
                RequestedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            });
            return await db.SaveChangesAsync();
        });

        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "resume"), f => f.Count == 1, "the sweeper to resume the request");
        Assert.Equal(head, freight[0].GetProperty("commit").GetString());
        var request = Assert.Single(await _host.RequestsAsync("acme", "resume"));
        Assert.Equal("refreshed", request.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ARequestLeftPendingForADeletedWarehouseIsDeletedBySweeper()
    {
        var warehouse = await _host.CreateWarehouseAsync("acme", "deleted", [new { repoUrl = "https://bitbucket.org/acme/deleted", branch = "main" }]);
        var warehouseId = warehouse.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await _host.Admin.DeleteAsync("/api/projects/acme/warehouses/deleted")).StatusCode);

        // What a dispatch that committed as the warehouse was deleted leaves behind (there is no foreign key to stop it).
        var orphan = new RefreshRequest
        {
            WarehouseId = warehouseId,
            Reason = RefreshReason.Push,
            RepositoryKey = "bitbucket.org/acme/deleted",
            Heads = [new RequestedHead(Guid.Empty, "bitbucket.org/acme/deleted", "refs/heads/main", CloudPush.Hash("deleted-1"), "Late", "Dev")],
            RequestedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        };
        await _host.WithDbAsync(async db =>
        {
            db.AddRefreshRequest(orphan);
            return await db.SaveChangesAsync();
        });

        await Poll.UntilAsync(
            () => _host.WithDbAsync(db => db.RefreshRequests.AnyAsync(r => r.Id == orphan.Id)),
            exists => !exists,
            "the sweeper to delete the orphaned request");
        // Its queue row went with it, in the same statement.
        Assert.False(await _host.WithDbAsync(db => db.RefreshQueue.AnyAsync(q => q.RequestId == orphan.Id)));
    }

    [Fact]
    public async Task DeliveryLeftAcceptedIsDispatchedBySweeper()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "late", [new { repoUrl = "https://bitbucket.org/acme/late", branch = "main" }]);
        var receiverId = await _host.WithDbAsync(db => Task.FromResult(db.Receivers.Single(r => r.Name == "cloud").Id));
        var head = CloudPush.Hash("late-1");
        var body = CloudPush.Body("acme/late", CloudPush.Branch("main", head));

        // What a replica that crashed between commit and dispatch leaves behind: a committed, accepted row.
        var delivery = await StrandAsync(receiverId, "bitbucket.org/acme/late", body);

        var detail = await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{delivery.Id}"),
            d => d.GetProperty("state").GetString() == "processed", "the sweeper to dispatch the delivery");
        Assert.Equal(1, detail.GetProperty("answer").GetProperty("warehouses").GetInt32());
        var freight = Assert.Single(await _host.FreightAsync("acme", "late"));
        Assert.Equal(head, freight.GetProperty("commit").GetString());
        Assert.Equal([delivery.Id], freight.GetProperty("deliveryIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.NotNull(url);
    }

    [Fact]
    public async Task ADeliveryDispatchedLateDoesNotMoveTheWarehouseBackToItsOlderHead()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud-order");
        await _host.CreateWarehouseAsync("acme", "order", [new { repoUrl = "https://bitbucket.org/acme/order", branch = "main" }]);
        var receiverId = await _host.WithDbAsync(db => Task.FromResult(db.Receivers.Single(r => r.Name == "cloud-order").Id));
        var older = CloudPush.Hash("order-older");
        var newer = CloudPush.Hash("order-newer");

        // The newer push is routed at once and becomes Freight, which keeps when its push was received: the time a later
        // pass compares the late push with.
        var (status, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/order", CloudPush.Branch("main", newer)));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, status);
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "order"), f => f.Count == 1, "the newer push to become Freight");
        var newerId = answer.GetProperty("deliveryId").GetGuid();
        var (announcedAt, receivedAt) = await _host.WithDbAsync(async db => (
            await db.Freight.AsNoTracking().Where(f => f.Commit == newer).Select(f => f.AnnouncedAt).SingleAsync(),
            await db.Deliveries.AsNoTracking().Where(d => d.Id == newerId).Select(d => d.ReceivedAt).SingleAsync()));
        Assert.Equal(receivedAt, announcedAt);

        // The older push was committed a minute earlier by a replica that died before routing it: the sweeper sends it on now.
        var body = CloudPush.Body("acme/order", CloudPush.Branch("main", older));
        var late = await StrandAsync(receiverId, "bitbucket.org/acme/order", body);
        await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{late.Id}"),
            d => d.GetProperty("state").GetString() == "processed", "the sweeper to dispatch the late delivery");

        var freight = Assert.Single(await _host.FreightAsync("acme", "order"));
        Assert.Equal(newer, freight.GetProperty("commit").GetString());
        var requests = await _host.RequestsAsync("acme", "order");
        Assert.Equal(["refreshed", "superseded"], requests.Select(r => r.GetProperty("outcome").GetString()).Order());
        // Each request carries its delivery's receive time, which is what the pass compared: it reads no delivery.
        var carried = await _host.WithDbAsync(async db =>
        {
            var deliveries = db.Deliveries;
            return await db.RefreshRequests.AsNoTracking()
                .Where(r => r.DeliveryId == newerId || r.DeliveryId == late.Id)
                .Select(r => new { r.ReceivedAt, Delivery = deliveries.Single(d => d.Id == r.DeliveryId).ReceivedAt })
                .ToListAsync();
        });
        Assert.Equal(2, carried.Count);
        Assert.All(carried, c => Assert.Equal(c.Delivery, c.ReceivedAt));
        // The ref's head, which the pass compared the late push with, is still the newer Freight.
        var head = await _host.WithDbAsync(db => db.FreightHeads.AsNoTracking().SingleAsync(h => h.RepositoryKey == "bitbucket.org/acme/order"));
        Assert.Equal((newer, "refs/heads/main", freight.GetProperty("id").GetGuid(), (DateTimeOffset?)receivedAt), (head.Commit, head.Ref, head.FreightId, head.AnnouncedAt));
    }

    [Fact]
    public async Task ARefreshLeftRunningByAPassThatLostTheDatabaseIsClosedByTheNextPass()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud-orphan");
        var warehouse = await _host.CreateWarehouseAsync("acme", "orphan", [new { repoUrl = "https://bitbucket.org/acme/orphan", branch = "main" }]);
        var warehouseId = warehouse.GetProperty("id").GetGuid();
        await _host.PushAsync(url, secret, CloudPush.Body("acme/orphan", CloudPush.Branch("main", CloudPush.Hash("orphan-1"))));
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "orphan"), f => f.Count == 1, "the first push to become Freight");

        // What a pass leaves when its run row was committed as PostgreSQL went down: a run "running", nobody on it,
        // while the warehouse's activation lives on.
        var orphan = new RefreshRun { WarehouseId = warehouseId, StartedAt = DateTimeOffset.UtcNow, Status = RefreshStatus.Running, Requests = 1 };
        await _host.WithDbAsync(async db =>
        {
            db.Refreshes.Add(orphan);
            return await db.SaveChangesAsync();
        });

        await _host.PushAsync(url, secret, CloudPush.Body("acme/orphan", CloudPush.Branch("main", CloudPush.Hash("orphan-2"))));
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "orphan"), f => f.Count == 2, "the second push to become Freight");

        var refreshes = await _host.RefreshesAsync("acme", "orphan");
        var closed = Assert.Single(refreshes, r => r.GetProperty("id").GetGuid() == orphan.Id);
        Assert.Equal("interrupted", closed.GetProperty("status").GetString());
        Assert.DoesNotContain(refreshes, r => r.GetProperty("status").GetString() == "running");
    }

    /// <summary>
    /// Commits an accepted delivery received a minute ago that nobody dispatched, as a replica that died between its
    /// commit and its dispatch leaves it: only the sweeper can route it.
    /// </summary>
    private async Task<Delivery> StrandAsync(Guid receiverId, string repositoryKey, byte[] body)
    {
        var delivery = new Delivery
        {
            ReceivedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            ReceiverId = receiverId,
            Source = "cloud",
            Event = "repo:push",
            RequestId = Guid.NewGuid().ToString(),
            Outcome = DeliveryOutcome.Accepted,
            StatusCode = 202,
            CompressedBody = DeliveryContent.Compress(body),
            BodySize = body.Length,
            RepositoryKey = repositoryKey,
            Answer = $$"""{"deliveryId":"x","event":"repo:push","outcome":"accepted"}""",
        };
        await _host.WithDbAsync(async db =>
        {
            db.Deliveries.Add(delivery);
            db.DeliveryProgress.Add(new DeliveryProgress { DeliveryId = delivery.Id, AcceptedAt = delivery.ReceivedAt });
            return await db.SaveChangesAsync();
        });
        return delivery;
    }
}
