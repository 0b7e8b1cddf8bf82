using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Deliveries;

/// <summary>The narrow lifecycle table; pruned with its delivery (cascade).</summary>
internal sealed class DeliveryProgressConfiguration : IEntityTypeConfiguration<DeliveryProgress>
{
    public void Configure(EntityTypeBuilder<DeliveryProgress> progress)
    {
        progress.ToTable("delivery_progress");
        progress.HasKey(p => p.DeliveryId);
        progress.HasOne<Delivery>().WithOne().HasForeignKey<DeliveryProgress>(p => p.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        // Reader: UndispatchedDeliverySweeper (DeliveryLifecycle.StrandedAsync), rows left accepted past the grace.
        // Partial, so a dispatched row leaves it and the index stays as small as the backlog.
        progress.HasIndex(p => p.AcceptedAt).HasFilter($"\"{nameof(DeliveryProgress.DispatchedAt)}\" IS NULL AND \"{nameof(DeliveryProgress.ProcessedAt)}\" IS NULL");
    }
}
