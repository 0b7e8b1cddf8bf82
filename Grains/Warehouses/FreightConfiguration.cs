using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Warehouses;

/// <summary>The <see cref="Freight"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class FreightConfiguration : IEntityTypeConfiguration<Freight>
{
    public void Configure(EntityTypeBuilder<Freight> freight)
    {
        freight.ToTable("freight");
        freight.Property(f => f.RepositoryKey).HasMaxLength(500);
        freight.Property(f => f.RepositoryUrl).HasMaxLength(2048);
        freight.Property(f => f.Ref).HasMaxLength(500);
        freight.Property(f => f.Commit).HasMaxLength(64);
        freight.Property(f => f.Author).HasMaxLength(500);
        freight.HasOne<Warehouse>().WithMany().HasForeignKey(f => f.WarehouseId).OnDelete(DeleteBehavior.Cascade);
        freight.HasIndex(f => new { f.WarehouseId, f.RepositoryKey, f.Ref, f.Commit }).IsUnique();
        freight.HasIndex(f => new { f.WarehouseId, f.DiscoveredAt }).IsDescending(false, true);
    }
}
