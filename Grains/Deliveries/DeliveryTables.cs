using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// This capability's tables on the product's database, declared here rather than on <see cref="WebhooksDbContext"/>
/// so that the database's folder knows no capability (the mappings are applied from the assembly).
/// </summary>
public static class DeliveryTables
{
    extension(WebhooksDbContext db)
    {
        public DbSet<Delivery> Deliveries => db.Set<Delivery>();

        public DbSet<DeliveryProgress> DeliveryProgress => db.Set<DeliveryProgress>();

        public DbSet<DeliveryStatus> DeliveryStatus => db.Set<DeliveryStatus>();
    }
}
