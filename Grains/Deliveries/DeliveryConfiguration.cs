using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Webhooks.Grains.Deliveries;

/// <summary>The <see cref="Delivery"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> delivery)
    {
        // The row is written once and never updated, so it is kept whole: below 8,160 bytes PostgreSQL neither tries to
        // compress it (the body is Brotli already) nor moves the body to the TOAST table (a second heap row and index
        // entry per delivery).
        delivery.ToTable("deliveries").HasStorageParameter("toast_tuple_target", 8160);
        delivery.Property(d => d.Source).HasMaxLength(16);
        delivery.Property(d => d.Event).HasMaxLength(100);
        delivery.Property(d => d.RequestId).HasMaxLength(100);
        delivery.Property(d => d.DedupeKey).HasMaxLength(200);
        delivery.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(16);
        delivery.Property(d => d.Reason).HasMaxLength(1000);
        delivery.Property(d => d.RepositoryKey).HasMaxLength(500);
        delivery.Property(d => d.RemoteAddress).HasMaxLength(64);
        delivery.Property(d => d.Answer).HasColumnType("jsonb");
        delivery.Property(d => d.Headers)
            .HasColumnType("jsonb")
            .HasConversion(
                headers => JsonSerializer.Serialize(headers, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default) ?? new(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    headers => headers.Aggregate(0, (hash, pair) => HashCode.Combine(hash, pair.Key, pair.Value)),
                    headers => new Dictionary<string, string>(headers)));
        // Written once per request on the hot path, so only indexes a query reads (each names its reader), and no
        // column that changes: the row is never updated (DeliveryLifecycle).
        // DeliveryHistory.ListAsync unfiltered (API GET /api/deliveries, the dashboard's Deliveries page), newest
        // first; the Overview's per-minute chart; DeliveryRetention's walk to the cutoff.
        delivery.HasIndex(d => d.ReceivedAt).IsDescending();
        // DeliveryHistory.ListAsync with ?project= (API, dashboard filter).
        delivery.HasIndex(d => new { d.ProjectId, d.ReceivedAt }).IsDescending(false, true);
        // DeliveryHistory.ListAsync with ?receiver= (API, dashboard filter).
        delivery.HasIndex(d => new { d.ReceiverId, d.ReceivedAt }).IsDescending(false, true);
        // DeliveryHistory.ListAsync with ?outcome= (API, the dashboard's outcome filter and latest failures):
        // rejections are rare, without it the newest-first walk reads every row to find a few.
        delivery.HasIndex(d => new { d.Outcome, d.ReceivedAt }).IsDescending(false, true);
        // DeliveryInsert: PostgreSQL is the judge of duplicates, one owning row per (scope, delivery id).
        delivery.HasIndex(d => d.DedupeKey).IsUnique();
        // DeliveryInsert: a body replayed under a new delivery id within the dedupe window. Only owning rows.
        delivery.HasIndex(d => d.BodySha256).HasFilter("\"DedupeKey\" IS NOT NULL");
        // DeliveryHistory.GetAsync: a delivery's detail lists its redeliveries. Partial: no entry for other rows.
        delivery.HasIndex(d => d.RedeliveryOf).HasFilter("\"RedeliveryOf\" IS NOT NULL");
    }
}
