using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Notifications;

/// <summary>The <see cref="NotificationAttempt"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class NotificationAttemptConfiguration : IEntityTypeConfiguration<NotificationAttempt>
{
    public void Configure(EntityTypeBuilder<NotificationAttempt> attempt)
    {
        attempt.ToTable("notification_attempts");
        attempt.Property(a => a.Error).HasMaxLength(2000);
        attempt.HasOne<NotificationOutboxEntry>().WithMany().HasForeignKey(a => a.OutboxId).OnDelete(DeleteBehavior.Cascade);
        attempt.HasIndex(a => new { a.FreightId, a.StartedAt });
    }
}
