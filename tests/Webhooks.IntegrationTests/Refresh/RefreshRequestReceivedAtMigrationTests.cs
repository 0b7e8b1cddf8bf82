using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Upgrading a database with requests pending: each pending request gets its delivery's receive time, which the passes
/// now read from the request; completed requests, which no pass reads, are left as they were.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class RefreshRequestReceivedAtMigrationTests(StorageFixture storage)
{
    private const string Before = "RefreshOutcomes";

    [Fact]
    public async Task UpgradingGivesEachPendingRequestItsDeliverysReceiveTime()
    {
        await using var db = storage.CreateDbContext("refresh_received_at");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        var receivedAt = new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);
        var delivery = new Delivery
        {
            ReceivedAt = receivedAt, Source = "cloud", Event = "repo:push", RequestId = $"received-{Guid.NewGuid()}",
            Outcome = DeliveryOutcome.Accepted, StatusCode = 202, Answer = "{}",
        };
        db.Deliveries.Add(delivery);
        await db.SaveChangesAsync();
        var warehouse = Guid.NewGuid();
        var (pending, completed) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO refresh_requests ("Id", "WarehouseId", "DeliveryId", "Reason", "Heads", "RequestedAt")
            VALUES ({pending}, {warehouse}, {delivery.Id}, 'Push', '[]'::jsonb, {receivedAt}),
                   ({completed}, {Guid.NewGuid()}, {delivery.Id}, 'Push', '[]'::jsonb, {receivedAt});
            INSERT INTO refresh_queue ("WarehouseId", "RequestedAt", "RequestId") VALUES ({warehouse}, {receivedAt}, {pending});
            INSERT INTO refresh_outcomes ("RequestId", "Outcome", "CompletedAt") VALUES ({completed}, 'Deduplicated', {receivedAt});
            """);

        await migrator.MigrateAsync();

        var requests = await db.RefreshRequests.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.ReceivedAt);
        Assert.Equal(receivedAt, requests[pending]);
        Assert.Null(requests[completed]);

        await migrator.MigrateAsync(Before);
    }
}
