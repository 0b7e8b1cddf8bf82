using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Webhooks.Dashboard.Resources;

/// <summary>Checks every resource of the catalog at once: replicas over HTTP, postgres and redis through the dashboard's own health checks.</summary>
public sealed class ResourceMonitor(
    ResourceCatalog catalog,
    ReplicaHealthProbe probe,
    HealthCheckService healthChecks,
    TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<ResourceSnapshot>> CheckAsync(CancellationToken cancellationToken)
    {
        var resources = catalog.Resources();
        var ownReport = healthChecks.CheckHealthAsync(cancellationToken);
        var snapshots = resources.Select(async resource =>
        {
            var (state, description, duration) = resource.HealthSource switch
            {
                HealthSource.HttpProbe when resource.Endpoints.Count > 0 =>
                    await probe.ProbeAsync(resource.Endpoints[0], cancellationToken),
                HealthSource.HttpProbe => (ResourceState.Unknown, "No endpoint configured", (TimeSpan?)null),
                HealthSource.Self => FromReport(await ownReport),
                _ => FromEntry(await ownReport, resource.HealthCheckName),
            };
            return new ResourceSnapshot(resource, state, description, duration, timeProvider.GetUtcNow());
        });
        return await Task.WhenAll(snapshots);
    }

    private static (ResourceState, string?, TimeSpan?) FromReport(HealthReport report)
    {
        var failing = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToList();
        return (ToState(report.Status), failing.Count > 0 ? $"Checks not healthy: {string.Join(", ", failing)}" : null, report.TotalDuration);
    }

    private static (ResourceState, string?, TimeSpan?) FromEntry(HealthReport report, string? name)
    {
        if (name is null || !report.Entries.TryGetValue(name, out var entry))
        {
            return (ResourceState.Unknown, "The dashboard has no health check for it", null);
        }

        // An exception from a connection check means nothing answered: say Unreachable rather than Unhealthy.
        // Its message is not shown: driver messages can carry connection details.
        var state = entry.Status != HealthStatus.Healthy && entry.Exception is not null && entry.Status == HealthStatus.Unhealthy
            ? ResourceState.Unreachable
            : ToState(entry.Status);
        var description = entry.Status == HealthStatus.Healthy
            ? null
            : entry.Description ?? (entry.Exception is not null ? "Cannot connect" : "Its health check fails");
        return (state, description, entry.Duration);
    }

    private static ResourceState ToState(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => ResourceState.Healthy,
        HealthStatus.Degraded => ResourceState.Degraded,
        _ => ResourceState.Unhealthy,
    };
}
