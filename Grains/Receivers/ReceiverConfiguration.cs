using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Receivers;

/// <summary>The <see cref="Receiver"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class ReceiverConfiguration : IEntityTypeConfiguration<Receiver>
{
    public void Configure(EntityTypeBuilder<Receiver> receiver)
    {
        receiver.ToTable("receivers");
        receiver.Property(r => r.Name).HasMaxLength(100);
        receiver.Property(r => r.Path).HasMaxLength(64);
        receiver.Property(r => r.ServerUrl).HasMaxLength(2048);
        receiver.Property(r => r.Description).HasMaxLength(1000);
        receiver.Property(r => r.AllowedNetworks).HasDefaultValueSql("'{}'::text[]");
        receiver.HasIndex(r => new { r.ProjectId, r.Name }).IsUnique();
        receiver.HasIndex(r => r.Path).IsUnique();
        receiver.HasOne(r => r.Project).WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
    }
}
