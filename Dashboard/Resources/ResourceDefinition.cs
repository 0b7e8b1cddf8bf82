namespace Webhooks.Dashboard.Resources;

/// <summary>How the health of a resource is found out.</summary>
public enum HealthSource
{
    /// <summary>GET <c>&lt;endpoint&gt;/health</c> on the replica.</summary>
    HttpProbe,

    /// <summary>The dashboard's own health report, as a whole.</summary>
    Self,

    /// <summary>The dashboard's own health check registered under <see cref="ResourceDefinition.HealthCheckName"/>.</summary>
    HealthCheck,
}

/// <summary>One thing on the Resources page, as configuration describes it.</summary>
public sealed record ResourceDefinition(
    string Name,
    string Service,
    ResourceKind Kind,
    IReadOnlyList<ResourceEndpoint> Endpoints,
    HealthSource HealthSource,
    string? HealthCheckName = null,
    string? Details = null);
