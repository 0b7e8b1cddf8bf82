using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Warehouses;

/// <summary>The <see cref="Warehouse"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class WarehouseConfiguration : IEntityTypeConfiguration<Warehouse>
{
    public void Configure(EntityTypeBuilder<Warehouse> warehouse)
    {
        warehouse.ToTable("warehouses");
        warehouse.Property(w => w.Name).HasMaxLength(100);
        warehouse.Property(w => w.NotifyUrl).HasMaxLength(2048);
        warehouse.HasIndex(w => new { w.ProjectId, w.Name }).IsUnique();
        warehouse.HasOne(w => w.Project).WithMany().HasForeignKey(w => w.ProjectId).OnDelete(DeleteBehavior.Cascade);
        warehouse.HasMany(w => w.Subscriptions).WithOne().HasForeignKey(s => s.WarehouseId).OnDelete(DeleteBehavior.Cascade);
    }
}
