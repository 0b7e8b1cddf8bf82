using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Warehouses;

/// <summary>
/// Upgrading a database that has Freight: each ref's newest Freight becomes its head (what the refresh passes compared
/// pushes with through the index the migration drops), and downgrading gives the index back.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class FreightHeadsMigrationTests(StorageFixture storage)
{
    private const string Before = "FreightAnnouncedAt";

    [Fact]
    public async Task UpgradingMakesEachRefsNewestFreightItsHeadAndDowngradingRestoresTheIndex()
    {
        await using var db = storage.CreateDbContext("freight_heads");
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(Before);
        var warehouse = Guid.NewGuid();
        var at = new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);
        var announced = at.AddSeconds(-2);
        // main: an older Freight, then two of the same pass (the same time, told apart by id); a tag; another warehouse's.
        var older = Guid.CreateVersion7(at.AddMinutes(-5));
        var first = Guid.CreateVersion7(at);
        var second = Guid.CreateVersion7(at.AddMilliseconds(1));
        await InsertFreightAsync(db, older, warehouse, "refs/heads/main", "a1", at.AddMinutes(-5), announced.AddMinutes(-5));
        await InsertFreightAsync(db, second, warehouse, "refs/heads/main", "c3", at, announced);
        await InsertFreightAsync(db, first, warehouse, "refs/heads/main", "b2", at, null);
        await InsertFreightAsync(db, Guid.CreateVersion7(at), warehouse, "refs/tags/v1", "d4", at.AddMinutes(-1), null);
        var other = Guid.NewGuid();
        await InsertFreightAsync(db, Guid.CreateVersion7(at), other, "refs/heads/main", "e5", at.AddMinutes(-9), null);

        await migrator.MigrateAsync();

        var heads = await db.FreightHeads.AsNoTracking().OrderBy(h => h.WarehouseId == warehouse ? 0 : 1).ThenBy(h => h.Ref).ToListAsync();
        Assert.Equal(
            [(warehouse, "refs/heads/main", second, "c3", (DateTimeOffset?)announced), (warehouse, "refs/tags/v1", heads[1].FreightId, "d4", null), (other, "refs/heads/main", heads[2].FreightId, "e5", null)],
            heads.Select(h => (h.WarehouseId, h.Ref, h.FreightId, h.Commit, h.AnnouncedAt)));
        Assert.Equal(0, await NewestOfRefIndexesAsync(db));

        await migrator.MigrateAsync(Before);

        Assert.Equal(1, await NewestOfRefIndexesAsync(db));
    }

    private static Task InsertFreightAsync(WebhooksDbContext db, Guid id, Guid warehouse, string @ref, string commit, DateTimeOffset discoveredAt, DateTimeOffset? announcedAt) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO freight ("Id", "WarehouseId", "RepositoryKey", "RepositoryUrl", "Ref", "Commit", "DiscoveredAt", "RefreshId", "DeliveryIds", "AnnouncedAt")
            VALUES ({id}, {warehouse}, 'bitbucket.org/acme/api', 'https://bitbucket.org/acme/api.git', {@ref}, {commit}, {discoveredAt}, {Guid.NewGuid()}, ARRAY[]::uuid[], {announcedAt})
            """);

    private static Task<int> NewestOfRefIndexesAsync(WebhooksDbContext db) =>
        db.Database.SqlQuery<int>($"""SELECT count(*)::int AS "Value" FROM pg_indexes WHERE indexname = 'IX_freight_newest_of_ref'""").SingleAsync();
}
