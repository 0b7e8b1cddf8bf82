using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Refresh;

/// <summary>The <see cref="RefreshOutcome"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class RefreshOutcomeConfiguration : IEntityTypeConfiguration<RefreshOutcome>
{
    public void Configure(EntityTypeBuilder<RefreshOutcome> outcome)
    {
        // Insert-only, keyed by the request (sequential version-7 ids, so each insert lands at the index's end). The key is
        // its only index: every reader goes from a request to its outcome (RefreshTables.RefreshRequestsWithOutcomes, the
        // delivery status view).
        outcome.ToTable("refresh_outcomes");
        outcome.HasKey(o => o.RequestId);
        outcome.Property(o => o.Outcome).HasConversion<string>().HasMaxLength(16);
        // No foreign key to the request (the hot tables have none, see RefreshRequestConfiguration): written with the
        // request's completion; deleted with the request by the warehouse-delete trigger (migration RefreshOutcomes).
    }
}
