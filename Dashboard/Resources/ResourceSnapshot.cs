using Webhooks.Dashboard.Cluster;

namespace Webhooks.Dashboard.Resources;

/// <summary>
/// A resource with the outcome of its latest health check, when it started (null when it cannot say), and for a
/// receiver replica its Orleans silo.
/// </summary>
public sealed record ResourceSnapshot(
    ResourceDefinition Resource,
    ResourceState State,
    string? Description,
    TimeSpan? Duration,
    DateTimeOffset CheckedAt,
    DateTimeOffset? StartedAt = null,
    SiloMember? Silo = null)
{
    public TimeSpan? Uptime => StartedAt is { } started && State is ResourceState.Healthy or ResourceState.Degraded
        ? CheckedAt - started
        : null;
}
