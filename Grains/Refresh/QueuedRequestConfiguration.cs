using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Webhooks.Grains.Refresh;

/// <summary>The <see cref="QueuedRequest"/> table's mapping (applied by <c>ApplyConfigurationsFromAssembly</c>).</summary>
internal sealed class QueuedRequestConfiguration : IEntityTypeConfiguration<QueuedRequest>
{
    public void Configure(EntityTypeBuilder<QueuedRequest> queued)
    {
        // One index, the key: a pass walks its warehouse's queue in order (activation's and the dashboard's pending checks
        // read the same prefix) and deletes what it completed by warehouse and request id. Rows live for seconds, so the
        // table stays a few pages large (the sweeper reads it whole).
        queued.ToTable("refresh_queue");
        queued.HasKey(q => new { q.WarehouseId, q.RequestedAt, q.RequestId });
        // No foreign keys (the hot path's tables have none, see RefreshRequestConfiguration): written and deleted with
        // its request; deleted with its warehouse by the warehouse-delete trigger (migration RefreshQueue).
    }
}
