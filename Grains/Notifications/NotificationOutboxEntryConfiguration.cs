using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Notifications;

/// <summary>The <see cref="NotificationOutboxEntry"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class NotificationOutboxEntryConfiguration : IEntityTypeConfiguration<NotificationOutboxEntry>
{
    public void Configure(EntityTypeBuilder<NotificationOutboxEntry> entry)
    {
        entry.ToTable("notification_outbox");
        entry.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        entry.Property(e => e.LastError).HasMaxLength(2000);
        entry.HasOne<Freight>().WithMany().HasForeignKey(e => e.FreightId).OnDelete(DeleteBehavior.Cascade);
        entry.HasIndex(e => e.FreightId).IsUnique();
        // The dispatchers' claim query: due pending entries.
        entry.HasIndex(e => e.NextAttemptAt).HasFilter("\"Status\" = 'Pending'");
    }
}
