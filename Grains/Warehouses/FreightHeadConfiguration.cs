using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Warehouses;

/// <summary>The <see cref="FreightHead"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class FreightHeadConfiguration : IEntityTypeConfiguration<FreightHead>
{
    public void Configure(EntityTypeBuilder<FreightHead> head)
    {
        // Updated for every new Freight of its ref: no index but the key, which no update changes, and pages with room
        // for a second version of each row, so the updates are HOT (no index entry, no page split).
        head.ToTable("freight_heads").HasStorageParameter("fillfactor", 50);
        head.HasKey(h => new { h.WarehouseId, h.RepositoryKey, h.Ref });
        head.Property(h => h.RepositoryKey).HasMaxLength(500);
        head.Property(h => h.Ref).HasMaxLength(500);
        head.Property(h => h.Commit).HasMaxLength(64);
        // No foreign key (written only by its warehouse's pass, with the Freight); deleted with the warehouse by the
        // trigger of the migration HotTablesWithoutForeignKeys, as its Freight is (extended by the migration FreightHeads).
    }
}
