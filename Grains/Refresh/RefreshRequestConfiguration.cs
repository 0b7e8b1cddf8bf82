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
        request.ToTable("refresh_requests");
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
        // Pending work: per warehouse on activation, overall for the sweeper.
        request.HasIndex(r => new { r.WarehouseId, r.RequestedAt }).HasFilter("\"CompletedAt\" IS NULL");
        // A delivery's requests, and whether any is still open (dispatch, the pass's processed marking, the sweeper):
        // with CompletedAt in this index the open check is one index scan. On DeliveryId alone, PostgreSQL combined
        // it with the pending index above (a BitmapAnd that reads every pending request), once per delivery: a
        // dispatch of 2,000 deliveries took 15 s under load.
        request.HasIndex(r => new { r.DeliveryId, r.CompletedAt });
    }
}
