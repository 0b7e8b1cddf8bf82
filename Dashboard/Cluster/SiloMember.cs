namespace Webhooks.Dashboard.Cluster;

/// <summary>A silo as the cluster's membership table records it.</summary>
public sealed record SiloMember(
    string Name,
    string Address,
    int GatewayPort,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastAliveAt)
{
    public bool IsActive => Status == "Active";
}
