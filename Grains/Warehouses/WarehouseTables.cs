using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Warehouses;

/// <summary>
/// This capability's tables on the product's database, declared here rather than on <see cref="WebhooksDbContext"/>
/// so that the database's folder knows no capability (the mappings are applied from the assembly).
/// </summary>
public static class WarehouseTables
{
    extension(WebhooksDbContext db)
    {
        public DbSet<Warehouse> Warehouses => db.Set<Warehouse>();

        public DbSet<Subscription> Subscriptions => db.Set<Subscription>();

        public DbSet<Freight> Freight => db.Set<Freight>();

        public DbSet<FreightHead> FreightHeads => db.Set<FreightHead>();
    }
}
