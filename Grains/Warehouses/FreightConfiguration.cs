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
        // No foreign key to the warehouse (written only by its own pass); deleted with it by the trigger of the migration
        // HotTablesWithoutForeignKeys (RefreshRequestConfiguration says why).
        // A head is Freight once; also the refresh pass's check of which pending heads are known (PassStatements).
        freight.HasIndex(f => new { f.WarehouseId, f.RepositoryKey, f.Ref, f.Commit }).IsUnique();
        // The refresh pass's newest Freight of a ref is not looked up here but in freight_heads (FreightHead), one row
        // per ref updated with each new Freight: its index on this table grew at a random point with every Freight.
        freight.HasIndex(f => new { f.WarehouseId, f.DiscoveredAt }).IsDescending(false, true);
    }
}
