using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Webhooks.Grains.Persistence;

/// <summary>The product's PostgreSQL database: configuration, tokens, history, and Data Protection keys.</summary>
public sealed class WebhooksDbContext(DbContextOptions<WebhooksDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public const string ConnectionName = "webhooks";

    /// <summary>Data Protection's key ring (<see cref="IDataProtectionKeyContext"/>). Every other table is declared by its
    /// capability (<c>…Tables</c>: <c>db.Deliveries</c>, <c>db.Warehouses</c>…), beside its entity and mapping.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Each entity's mapping lives beside it, in its capability's folder (<c>…Configuration</c> classes).</summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebhooksDbContext).Assembly);
}
