using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.SmartCommits;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Persistence;

/// <summary>The product's PostgreSQL database: configuration, tokens, history, and Data Protection keys.</summary>
public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "webhooks";

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Receiver> Receivers => Set<Receiver>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<Delivery> Deliveries => Set<Delivery>();

    public DbSet<DeliveryProgress> DeliveryProgress => Set<DeliveryProgress>();

    /// <summary>Derived, read-only (a view): see <see cref="Webhooks.Grains.Deliveries.DeliveryStatus"/>.</summary>
    public DbSet<DeliveryStatus> DeliveryStatus => Set<DeliveryStatus>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SmartCommitSettings> SmartCommitSettings => Set<SmartCommitSettings>();

    public DbSet<AlmLink> AlmLinks => Set<AlmLink>();

    public DbSet<Warehouse> Warehouses => Set<Warehouse>();

    public DbSet<Subscription> Subscriptions => Set<Subscription>();

    public DbSet<RefreshRequest> RefreshRequests => Set<RefreshRequest>();

    public DbSet<RefreshRun> Refreshes => Set<RefreshRun>();

    public DbSet<Freight> Freight => Set<Freight>();

    public DbSet<NotificationOutboxEntry> NotificationOutbox => Set<NotificationOutboxEntry>();

    public DbSet<NotificationAttempt> NotificationAttempts => Set<NotificationAttempt>();

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
            receiver.Property(r => r.Description).HasMaxLength(1000);
            receiver.Property(r => r.AllowedNetworks).HasDefaultValueSql("'{}'::text[]");
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
        });

        modelBuilder.ApplyConfiguration(new DeliveryProgressConfiguration());
        modelBuilder.ApplyConfiguration(new DeliveryStatusConfiguration());

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        modelBuilder.Entity<SmartCommitSettings>(settings =>
        {
            settings.ToTable("smart_commit_settings");
            settings.HasKey(s => s.ProjectId);
            settings.HasOne(s => s.Project).WithOne().HasForeignKey<SmartCommitSettings>(s => s.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AlmLink>(link =>
        {
            link.ToTable("alm_links");
            link.Property(l => l.IssueKey).HasMaxLength(100);
            link.Property(l => l.RepositoryKey).HasMaxLength(500);
            link.Property(l => l.Commit).HasMaxLength(64);
            link.Property(l => l.Ref).HasMaxLength(500);
            link.Property(l => l.Author).HasMaxLength(500);
            link.Property(l => l.AuthorEmail).HasMaxLength(500);
            link.Property(l => l.Message).HasMaxLength(4000);
            link.Property(l => l.Commands)
                .HasColumnType("jsonb")
                .HasConversion(
                    commands => JsonSerializer.Serialize(commands, JsonSerializerOptions.Default),
                    json => JsonSerializer.Deserialize<List<SmartCommitCommand>>(json, JsonSerializerOptions.Default) ?? new(),
                    new ValueComparer<List<SmartCommitCommand>>(
                        (a, b) => a!.SequenceEqual(b!),
                        commands => commands.Aggregate(0, (hash, command) => HashCode.Combine(hash, command)),
                        commands => commands.ToList()));
            link.HasOne<Project>().WithMany().HasForeignKey(l => l.ProjectId).OnDelete(DeleteBehavior.Cascade);
            // Linking is idempotent: a repeated push (or the same commit pushed to another branch) adds nothing.
            link.HasIndex(l => new { l.ProjectId, l.IssueKey, l.Commit }).IsUnique();
            // An issue's commits, newest first.
            link.HasIndex(l => new { l.ProjectId, l.IssueKey, l.CommittedAt }).IsDescending(false, false, true);
        });

        modelBuilder.Entity<Warehouse>(warehouse =>
        {
            warehouse.ToTable("warehouses");
            warehouse.Property(w => w.Name).HasMaxLength(100);
            warehouse.Property(w => w.NotifyUrl).HasMaxLength(2048);
            warehouse.HasIndex(w => new { w.ProjectId, w.Name }).IsUnique();
            warehouse.HasOne(w => w.Project).WithMany().HasForeignKey(w => w.ProjectId).OnDelete(DeleteBehavior.Cascade);
            warehouse.HasMany(w => w.Subscriptions).WithOne().HasForeignKey(s => s.WarehouseId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Subscription>(subscription =>
        {
            subscription.ToTable("subscriptions");
            subscription.Property(s => s.RepositoryKey).HasMaxLength(500);
            subscription.Property(s => s.RepositoryUrl).HasMaxLength(2048);
            subscription.Property(s => s.Branch).HasMaxLength(255);
            subscription.Property(s => s.Tag).HasMaxLength(255);
            subscription.Property(s => s.Discovery).HasConversion<string>().HasMaxLength(16);
            // The repository grain loads every subscription of its repository, across projects.
            subscription.HasIndex(s => s.RepositoryKey);
        });

        modelBuilder.Entity<RefreshRequest>(request =>
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
            request.HasOne<Warehouse>().WithMany().HasForeignKey(r => r.WarehouseId).OnDelete(DeleteBehavior.Cascade);
            // A delivery asks a warehouse once, however often it is dispatched (the sweeper may repeat a dispatch).
            request.HasIndex(r => new { r.WarehouseId, r.DeliveryId }).IsUnique().HasFilter("\"DeliveryId\" IS NOT NULL");
            // Pending work: per warehouse on activation, overall for the sweeper.
            request.HasIndex(r => new { r.WarehouseId, r.RequestedAt }).HasFilter("\"CompletedAt\" IS NULL");
            // A delivery's requests, and whether any is still open (dispatch, the pass's processed marking, the sweeper):
            // with CompletedAt in this index the open check is one index scan. On DeliveryId alone, PostgreSQL combined
            // it with the pending index above (a BitmapAnd that reads every pending request), once per delivery: a
            // dispatch of 2,000 deliveries took 15 s under load.
            request.HasIndex(r => new { r.DeliveryId, r.CompletedAt });
        });

        modelBuilder.Entity<RefreshRun>(refresh =>
        {
            refresh.ToTable("refreshes");
            refresh.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            refresh.Property(r => r.Error).HasMaxLength(2000);
            refresh.HasOne<Warehouse>().WithMany().HasForeignKey(r => r.WarehouseId).OnDelete(DeleteBehavior.Cascade);
            refresh.HasIndex(r => new { r.WarehouseId, r.StartedAt }).IsDescending(false, true);
            // The Overview's refreshes per minute, across warehouses.
            refresh.HasIndex(r => r.StartedAt);
        });

        modelBuilder.Entity<Freight>(freight =>
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
        });

        modelBuilder.Entity<NotificationOutboxEntry>(entry =>
        {
            entry.ToTable("notification_outbox");
            entry.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
            entry.Property(e => e.LastError).HasMaxLength(2000);
            entry.HasOne<Freight>().WithMany().HasForeignKey(e => e.FreightId).OnDelete(DeleteBehavior.Cascade);
            entry.HasIndex(e => e.FreightId).IsUnique();
            // The dispatchers' claim query: due pending entries.
            entry.HasIndex(e => e.NextAttemptAt).HasFilter("\"Status\" = 'Pending'");
        });

        modelBuilder.Entity<NotificationAttempt>(attempt =>
        {
            attempt.ToTable("notification_attempts");
            attempt.Property(a => a.Error).HasMaxLength(2000);
            attempt.HasOne<NotificationOutboxEntry>().WithMany().HasForeignKey(a => a.OutboxId).OnDelete(DeleteBehavior.Cascade);
            attempt.HasIndex(a => new { a.FreightId, a.StartedAt });
        });
    }
}
