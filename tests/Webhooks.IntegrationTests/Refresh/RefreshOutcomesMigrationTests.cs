using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Upgrading a database whose requests carry their outcomes on their rows: each completed request's outcome becomes a
/// row of its own, pending requests stay without one, a delivery's status reads the same before and after, and
/// downgrading puts the outcomes back on the requests. A warehouse's delete takes its requests' outcomes.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class RefreshOutcomesMigrationTests(StorageFixture storage)
{
    private const string Before = "RefreshQueue";

    private static readonly DateTimeOffset At = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task UpgradingMovesEachOutcomeToItsOwnRowAndKeepsEveryDeliverysStatus()
    {
        await using var db = storage.CreateDbContext("refresh_outcomes");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        var (warehouse, run) = (Guid.NewGuid(), Guid.NewGuid());
        var (processed, dispatched) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        var (refreshed, coalesced, open) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());
        await InsertProgressAsync(db, processed);
        await InsertProgressAsync(db, dispatched);
        await InsertRequestAsync(db, refreshed, warehouse, processed, run, "Refreshed", At.AddSeconds(3));
        await InsertRequestAsync(db, coalesced, warehouse, dispatched, run, "Coalesced", At.AddSeconds(4));
        await InsertRequestAsync(db, open, Guid.NewGuid(), dispatched, null, null, null);
        var statusBefore = await StatusesAsync(db);

        await migrator.MigrateAsync();

        var outcomes = await db.RefreshOutcomes.AsNoTracking().OrderBy(o => o.CompletedAt).ToListAsync();
        Assert.Equal(
            [(refreshed, (Guid?)run, RefreshRequestOutcome.Refreshed, At.AddSeconds(3)), (coalesced, run, RefreshRequestOutcome.Coalesced, At.AddSeconds(4))],
            outcomes.Select(o => (o.RequestId, o.RefreshId, o.Outcome, o.CompletedAt)));
        Assert.Equal(statusBefore, await StatusesAsync(db));
        Assert.Equal(
            [(processed, DeliveryState.Processed, (DateTimeOffset?)At.AddSeconds(3)), (dispatched, DeliveryState.Dispatched, null)],
            statusBefore.OrderBy(s => s.Item1 == processed ? 0 : 1));
        Guid[] order = [refreshed, coalesced, open];
        var requests = await db.RefreshRequestsWithOutcomes.ToListAsync();
        Assert.Equal(
            [(refreshed, (RefreshRequestOutcome?)RefreshRequestOutcome.Refreshed, (Guid?)run), (coalesced, RefreshRequestOutcome.Coalesced, run), (open, null, null)],
            requests.OrderBy(r => Array.IndexOf(order, r.Id)).Select(r => (r.Id, r.Outcome, r.RefreshId)));

        await migrator.MigrateAsync(Before);

        Assert.Equal(statusBefore, await StatusesAsync(db));
        Assert.Equal(
            [(refreshed, "Refreshed", (DateTimeOffset?)At.AddSeconds(3)), (coalesced, "Coalesced", At.AddSeconds(4)), (open, null, null)],
            (await db.Database.SqlQuery<RequestColumns>($"""
                SELECT "Id", "Outcome", "CompletedAt" FROM refresh_requests
                """).ToListAsync()).OrderBy(r => Array.IndexOf(order, r.Id)).Select(r => (r.Id, r.Outcome, r.CompletedAt)));
    }

    [Fact]
    public async Task DeletingAWarehouseDeletesItsRequestsOutcomes()
    {
        await using var db = storage.CreateDbContext("refresh_outcomes_delete");
        await db.Database.MigrateAsync();
        var project = new Project { Name = "outcomes" };
        var (gone, kept) = (NewWarehouse(project, "gone"), NewWarehouse(project, "kept"));
        db.Projects.Add(project);
        db.Warehouses.AddRange(gone, kept);
        db.AddRefreshRequest(CompletedRequest(gone.Id));
        db.AddRefreshRequest(CompletedRequest(kept.Id));
        await db.SaveChangesAsync();

        await db.Warehouses.Where(w => w.Id == gone.Id).ExecuteDeleteAsync();

        Assert.Equal([kept.Id], await db.RefreshRequestsWithOutcomes.Where(r => r.Outcome != null).Select(r => r.WarehouseId).ToListAsync());
        Assert.Equal(1, await db.RefreshOutcomes.CountAsync());
    }

    private sealed record RequestColumns(Guid Id, string? Outcome, DateTimeOffset? CompletedAt);

    private static Warehouse NewWarehouse(Project project, string name) =>
        new() { ProjectId = project.Id, Name = name, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };

    private static RefreshRequest CompletedRequest(Guid warehouseId) => new()
    {
        WarehouseId = warehouseId,
        Reason = RefreshReason.Manual,
        RequestedAt = At,
        Outcome = RefreshRequestOutcome.Deduplicated,
        CompletedAt = At,
    };

    private static Task InsertProgressAsync(WebhooksDbContext db, Guid delivery) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO delivery_progress ("DeliveryId", "AcceptedAt", "DispatchedAt", "Warehouses") VALUES ({delivery}, {At}, {At.AddSeconds(1)}, 1)
            """);

    private static Task InsertRequestAsync(
        WebhooksDbContext db, Guid id, Guid warehouse, Guid delivery, Guid? run, string? outcome, DateTimeOffset? completedAt) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO refresh_requests ("Id", "WarehouseId", "DeliveryId", "Reason", "Heads", "RequestedAt", "RefreshId", "Outcome", "CompletedAt")
            VALUES ({id}, {warehouse}, {delivery}, 'Push', '[]'::jsonb, {At}, {run}, {outcome}, {completedAt})
            """);

    private static async Task<List<(Guid, DeliveryState, DateTimeOffset?)>> StatusesAsync(WebhooksDbContext db) =>
        (await db.DeliveryStatus.AsNoTracking().OrderBy(s => s.DeliveryId).ToListAsync())
            .Select(s => (s.DeliveryId, s.State, s.ProcessedAt)).ToList();
}
