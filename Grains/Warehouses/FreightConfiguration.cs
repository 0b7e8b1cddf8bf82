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
        // The refresh pass's newest Freight of a ref (PassStatements, superseded pushes) has an index of its own, on an
        // expression, made by the migration RefreshPassIndexes: "IX_freight_newest_of_ref" (WarehouseId,
        // RepositoryKey || E'\n' || Ref, DiscoveredAt DESC, Id DESC). On the plain columns, PostgreSQL also took it for
        // the pass's known-head check (it fits three of the four columns of the unique key) and walked a ref's whole
        // history there; on an expression it serves only the query written for it.
        freight.HasIndex(f => new { f.WarehouseId, f.DiscoveredAt }).IsDescending(false, true);
    }
}
