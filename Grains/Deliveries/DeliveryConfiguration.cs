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
        delivery.ToTable("deliveries");
        delivery.Property(d => d.Source).HasMaxLength(16);
        delivery.Property(d => d.Event).HasMaxLength(100);
        delivery.Property(d => d.RequestId).HasMaxLength(100);
        delivery.Property(d => d.DedupeKey).HasMaxLength(200);
        delivery.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(16);
        delivery.Property(d => d.State).HasConversion<string>().HasMaxLength(16);
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
        // The history is read newest first, overall and per project / receiver.
        delivery.HasIndex(d => d.ReceivedAt).IsDescending();
        delivery.HasIndex(d => new { d.ProjectId, d.ReceivedAt }).IsDescending(false, true);
        delivery.HasIndex(d => new { d.ReceiverId, d.ReceivedAt }).IsDescending(false, true);
        // The dashboard's latest failures and the history filtered by outcome (rejections are rare: without it the
        // newest-first walk reads every row to find a few).
        delivery.HasIndex(d => new { d.Outcome, d.ReceivedAt }).IsDescending(false, true);
        // PostgreSQL is the final judge of duplicates: one owning row per (scope, delivery id).
        delivery.HasIndex(d => d.DedupeKey).IsUnique();
        // Replays of the same body within the dedupe window, when Redis cannot answer.
        delivery.HasIndex(d => new { d.ReceiverId, d.BodySha256 });
        // The sweeper looks for rows left accepted but never dispatched.
        delivery.HasIndex(d => d.State).HasFilter("\"State\" = 'Accepted'");
        // A delivery's detail lists its redeliveries.
        delivery.HasIndex(d => d.RedeliveryOf).HasFilter("\"RedeliveryOf\" IS NOT NULL");
    }
}
