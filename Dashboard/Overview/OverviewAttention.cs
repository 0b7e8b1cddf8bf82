using Webhooks.Dashboard.Cluster;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Overview;

/// <summary>
/// What the Overview's "needs attention" area lists: failing notify targets, troubled warehouses, replicas restarted or
/// lost, and the last hour's rejection reasons. <see cref="ReplicasUnknown"/> says why replicas could not be read (the
/// cluster did not answer) rather than failing the whole page.
/// </summary>
public sealed record OverviewAttention(
    IReadOnlyList<FailingTarget> Targets,
    IReadOnlyList<WarehouseTrouble> Warehouses,
    IReadOnlyList<ReplicaEvent> Replicas,
    IReadOnlyList<RejectionReasonCount> Rejections,
    string? ReplicasUnknown = null)
{
    public static readonly OverviewAttention None = new([], [], [], []);

    /// <summary>True when anything but rejections is listed: rejections alone are Bitbucket's (or an attacker's) business.</summary>
    public bool AnyFailure => Targets.Count > 0 || Warehouses.Count > 0 || Replicas.Count > 0 || ReplicasUnknown is not null;
}
