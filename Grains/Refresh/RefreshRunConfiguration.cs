using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>The <see cref="RefreshRun"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class RefreshRunConfiguration : IEntityTypeConfiguration<RefreshRun>
{
    public void Configure(EntityTypeBuilder<RefreshRun> refresh)
    {
        refresh.ToTable("refreshes");
        refresh.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        refresh.Property(r => r.Error).HasMaxLength(2000);
        // No foreign key to the warehouse (written only by its own pass); deleted with it by the trigger of the migration
        // HotTablesWithoutForeignKeys (RefreshRequestConfiguration says why).
        refresh.HasIndex(r => new { r.WarehouseId, r.StartedAt }).IsDescending(false, true);
        // The runs left running, closed by every pass's lock statement (PassStatements) and by a warehouse's activation:
        // without it each pass walked the warehouse's whole refresh history, a cost growing with each refresh.
        refresh.HasIndex(r => r.WarehouseId).HasFilter("\"Status\" = 'Running'").HasDatabaseName("IX_refreshes_WarehouseId_Running");
        // The Overview's refreshes per minute, across warehouses.
        refresh.HasIndex(r => r.StartedAt);
    }
}
