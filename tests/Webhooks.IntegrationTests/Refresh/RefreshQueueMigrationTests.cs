using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Upgrading a database with requests pending and completed: the pending ones become the queue (what the passes read
/// through the index the migration drops), a deleted warehouse's queue goes with it, and downgrading gives the indexes
/// back.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class RefreshQueueMigrationTests(StorageFixture storage)
{
    private const string Before = "FreightHeads";

    [Fact]
    public async Task UpgradingQueuesThePendingRequestsAndDowngradingRestoresTheirIndexes()
    {
        await using var db = storage.CreateDbContext("refresh_queue");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        var warehouse = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var (pending, later, completed) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await InsertRequestAsync(db, pending, warehouse, at, completedAt: null);
        await InsertRequestAsync(db, later, warehouse, at.AddSeconds(1), completedAt: null);
        await InsertRequestAsync(db, completed, warehouse, at.AddSeconds(-1), completedAt: at);

        await migrator.MigrateAsync();

        var queue = await db.RefreshQueue.AsNoTracking().OrderBy(q => q.RequestedAt).ToListAsync();
        Assert.Equal([(warehouse, at, pending), (warehouse, at.AddSeconds(1), later)], queue.Select(q => (q.WarehouseId, q.RequestedAt, q.RequestId)));
        Assert.Equal(["IX_refresh_requests_DeliveryId", "IX_refresh_requests_WarehouseId_DeliveryId", "PK_refresh_requests"], await IndexesAsync(db));

        await migrator.MigrateAsync(Before);

        Assert.Equal(
            ["IX_refresh_requests_DeliveryId_CompletedAt", "IX_refresh_requests_WarehouseId_DeliveryId", "IX_refresh_requests_WarehouseId_RequestedAt", "PK_refresh_requests"],
            await IndexesAsync(db));
    }

    [Fact]
    public async Task DeletingAWarehouseDeletesItsQueueWithItsRequests()
    {
        await using var db = storage.CreateDbContext("refresh_queue_delete");
        await db.Database.MigrateAsync();
        var project = new Project { Name = "queue" };
        var (gone, kept) = (NewWarehouse(project, "gone"), NewWarehouse(project, "kept"));
        db.Projects.Add(project);
        db.Warehouses.AddRange(gone, kept);
        db.AddRefreshRequest(NewRequest(gone.Id));
        db.AddRefreshRequest(NewRequest(kept.Id));
        await db.SaveChangesAsync();

        await db.Warehouses.Where(w => w.Id == gone.Id).ExecuteDeleteAsync();

        Assert.Equal([kept.Id], await db.RefreshQueue.Select(q => q.WarehouseId).ToListAsync());
        Assert.Equal([kept.Id], await db.RefreshRequests.Select(r => r.WarehouseId).ToListAsync());
    }

    private static Warehouse NewWarehouse(Project project, string name) =>
        new() { ProjectId = project.Id, Name = name, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };

    private static RefreshRequest NewRequest(Guid warehouseId) =>
        new() { WarehouseId = warehouseId, Reason = RefreshReason.Manual, RequestedAt = DateTimeOffset.UtcNow };

    private static Task InsertRequestAsync(WebhooksDbContext db, Guid id, Guid warehouse, DateTimeOffset requestedAt, DateTimeOffset? completedAt) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO refresh_requests ("Id", "WarehouseId", "DeliveryId", "Reason", "Heads", "RequestedAt", "Outcome", "CompletedAt")
            VALUES ({id}, {warehouse}, {Guid.CreateVersion7()}, 'Push', '[]'::jsonb, {requestedAt}, {(completedAt is null ? null : "Refreshed")}, {completedAt})
            """);

    private static Task<List<string>> IndexesAsync(WebhooksDbContext db) =>
        db.Database.SqlQuery<string>($"""SELECT indexname AS "Value" FROM pg_indexes WHERE tablename = 'refresh_requests' ORDER BY indexname COLLATE "C" """).ToListAsync();
}
