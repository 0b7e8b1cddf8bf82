using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
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

    /// <summary>Each entity's mapping lives beside it, in its capability's folder (<c>…Configuration</c> classes).</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
}
