using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>The <see cref="RefreshRequest"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class RefreshRequestConfiguration : IEntityTypeConfiguration<RefreshRequest>
{
    public void Configure(EntityTypeBuilder<RefreshRequest> request)
    {
        // Completed once, shortly after it is written: no index names what a completion changes (RefreshId, Outcome,
        // CompletedAt; pending work is the QueuedRequest table), so the completion is a HOT update (no index entry) when
        // its page has room. A tenth of each page is kept for that: a third of completions were HOT under load. Half of
        // each page made nearly all of them HOT but the heap half as large again, more bytes than the index entries it
        // saved (docs/benchmarks.md, step 11).
        request.ToTable("refresh_requests").HasStorageParameter("fillfactor", 90);
        request.Property(r => r.Reason).HasConversion<string>().HasMaxLength(16);
        request.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
        request.Property(r => r.RepositoryKey).HasMaxLength(500);
        request.Property(r => r.Heads)
            .HasColumnType("jsonb")
            .HasConversion(
                heads => JsonSerializer.Serialize(heads, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<List<RequestedHead>>(json, JsonSerializerOptions.Default) ?? new(),
                new ValueComparer<List<RequestedHead>>(
                    (a, b) => a!.SequenceEqual(b!),
                    heads => heads.Aggregate(0, (hash, head) => HashCode.Combine(hash, head)),
                    heads => heads.ToList()));
        // No foreign key to the warehouse: the dispatch's insert writes only for a warehouse that exists, and a
        // foreign key's check (a SELECT … FOR KEY SHARE of the warehouse row through SPI, on every insert) was a twentieth
        // of PostgreSQL's work under load. A deleted warehouse's requests go with it by the trigger of the migration
        // HotTablesWithoutForeignKeys; one a dispatch commits as the warehouse is deleted is removed by RefreshSweeper.
        // A delivery asks a warehouse once, however often it is dispatched (the sweeper may repeat a dispatch).
        request.HasIndex(r => new { r.WarehouseId, r.DeliveryId }).IsUnique().HasFilter("\"DeliveryId\" IS NOT NULL");
        // A delivery's requests: the delivery's status (whether any is still open, read from the rows), its detail, the
        // warehouses it reached.
        request.HasIndex(r => r.DeliveryId);
    }
}
