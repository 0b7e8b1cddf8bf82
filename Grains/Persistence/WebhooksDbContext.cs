using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Tokens;

namespace Webhooks.Grains.Persistence;

/// <summary>The product's PostgreSQL database: configuration, tokens, history, and Data Protection keys.</summary>
public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "webhooks";

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Receiver> Receivers => Set<Receiver>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Project>(project =>
        {
            project.ToTable("projects");
            project.Property(p => p.Name).HasMaxLength(100);
            project.HasIndex(p => p.Name).IsUnique();
        });

        modelBuilder.Entity<Receiver>(receiver =>
        {
            receiver.ToTable("receivers");
            receiver.Property(r => r.Name).HasMaxLength(100);
            receiver.Property(r => r.Path).HasMaxLength(64);
            receiver.Property(r => r.ServerUrl).HasMaxLength(2048);
            receiver.HasIndex(r => new { r.ProjectId, r.Name }).IsUnique();
            receiver.HasIndex(r => r.Path).IsUnique();
            receiver.HasOne(r => r.Project).WithMany().HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.Property(t => t.Name).HasMaxLength(100);
            token.Property(t => t.Description).HasMaxLength(1000);
            token.Property(t => t.Prefix).HasMaxLength(16);
            token.Property(t => t.Type).HasConversion<string>().HasMaxLength(16);
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Delivery>(delivery =>
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
            // PostgreSQL is the final judge of duplicates: one owning row per (scope, delivery id).
            delivery.HasIndex(d => d.DedupeKey).IsUnique();
            // Replays of the same body within the dedupe window, when Redis cannot answer.
            delivery.HasIndex(d => new { d.ReceiverId, d.BodySha256 });
            // The sweeper looks for rows left accepted but never dispatched.
            delivery.HasIndex(d => d.State).HasFilter("\"State\" = 'Accepted'");
        });

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
    }
}
