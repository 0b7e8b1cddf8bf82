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
        // Written once, never updated: pending work is the QueuedRequest table, the completion a RefreshOutcome row. As
        // an update of this row, two thirds of completions wrote a new version with an entry in every index, left for
        // autovacuum to remove (docs/benchmarks.md, steps 11 and 13).
        request.ToTable("refresh_requests");
        request.Property(r => r.Reason).HasConversion<string>().HasMaxLength(16);
        request.Ignore(r => r.RefreshId);
        request.Ignore(r => r.Outcome);
        request.Ignore(r => r.CompletedAt);
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
        // A delivery's requests: the delivery's status (whether any is still open, from their outcomes), its detail, the
        // warehouses it reached.
        request.HasIndex(r => r.DeliveryId);
    }
}
