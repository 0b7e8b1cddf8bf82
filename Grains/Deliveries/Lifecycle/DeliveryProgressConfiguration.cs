using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Deliveries;

/// <summary>The narrow lifecycle table; pruned with its delivery.</summary>
internal sealed class DeliveryProgressConfiguration : IEntityTypeConfiguration<DeliveryProgress>
{
    public void Configure(EntityTypeBuilder<DeliveryProgress> progress)
    {
        progress.ToTable("delivery_progress");
        progress.HasKey(p => p.DeliveryId);
        // No foreign key to the delivery: the row is inserted by the statement that inserts its delivery
        // (DeliveryInsert) or with it (a redelivery), and is deleted with it by the trigger of the migration
        // HotTablesWithoutForeignKeys; the key's check cost PostgreSQL an SPI query per accepted delivery.
        // Reader: UndispatchedDeliverySweeper (DeliveryLifecycle.StrandedAsync), rows left accepted past the grace.
        // Partial, so a dispatched row leaves it and the index stays as small as the backlog.
        progress.HasIndex(p => p.AcceptedAt).HasFilter($"\"{nameof(DeliveryProgress.DispatchedAt)}\" IS NULL AND \"{nameof(DeliveryProgress.ProcessedAt)}\" IS NULL");
    }
}
