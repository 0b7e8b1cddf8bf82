using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Deliveries;

/// <summary>The derived status, a view (created by the migration <c>DeliveryWrittenOnce</c>); never written.</summary>
internal sealed class DeliveryStatusConfiguration : IEntityTypeConfiguration<DeliveryStatus>
{
    public void Configure(EntityTypeBuilder<DeliveryStatus> status)
    {
        status.ToView("delivery_status");
        status.HasNoKey();
        status.Property(s => s.State).HasConversion<string>().HasMaxLength(16);
    }
}
