using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Warehouses;

/// <summary>The <see cref="Subscription"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> subscription)
    {
        subscription.ToTable("subscriptions");
        subscription.Property(s => s.RepositoryKey).HasMaxLength(500);
        subscription.Property(s => s.RepositoryUrl).HasMaxLength(2048);
        subscription.Property(s => s.Branch).HasMaxLength(255);
        subscription.Property(s => s.Tag).HasMaxLength(255);
        subscription.Property(s => s.Discovery).HasConversion<string>().HasMaxLength(16);
        // The repository grain loads every subscription of its repository, across projects.
        subscription.HasIndex(s => s.RepositoryKey);
    }
}
