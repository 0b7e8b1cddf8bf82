using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Webhooks.Dashboard.Resources;

/// <summary>
/// Checks every resource of the catalog at once: replicas over HTTP, postgres and redis through the dashboard's
/// own health checks. Nothing waits longer than the probe timeout, so one dead dependency never stalls the page.
/// </summary>
public sealed class ResourceMonitor(
    ResourceCatalog catalog,
    ReplicaHealthProbe probe,
    HealthCheckService healthChecks,
    IOptions<HealthCheckServiceOptions> healthCheckOptions,
    IOptionsMonitor<ResourcesOptions> options,
    TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<ResourceSnapshot>> CheckAsync(CancellationToken cancellationToken)
    {
        var resources = catalog.Resources();

        // Each of the dashboard's checks on its own, so a slow one (redis down: connect timeouts) only marks itself.
        var ownChecks = healthCheckOptions.Value.Registrations
            .ToDictionary(registration => registration.Name, registration => RunOwnCheckAsync(registration, cancellationToken));

        var snapshots = resources.Select(async resource =>
        {
            var (state, description, duration) = resource.HealthSource switch
            {
                HealthSource.HttpProbe when resource.Endpoints.Count > 0 =>
                    await probe.ProbeAsync(resource.Endpoints[0], cancellationToken),
                HealthSource.HttpProbe => (ResourceState.Unknown, "No endpoint configured", (TimeSpan?)null),
                HealthSource.Self => Overall(await Task.WhenAll(ownChecks.Values)),
                _ => resource.HealthCheckName is { } name && ownChecks.TryGetValue(name, out var check)
                    ? ToSnapshotParts(await check)
                    : (ResourceState.Unknown, "The dashboard has no health check for it", null),
            };
            return new ResourceSnapshot(resource, state, description, duration, timeProvider.GetUtcNow());
        });
        return await Task.WhenAll(snapshots);
    }

    private async Task<OwnCheck> RunOwnCheckAsync(HealthCheckRegistration registration, CancellationToken cancellationToken)
    {
        try
        {
            var report = await healthChecks
                .CheckHealthAsync(r => r.Name == registration.Name, cancellationToken)
                .WaitAsync(options.CurrentValue.ProbeTimeout, cancellationToken);
            return new OwnCheck(registration, report.Entries.TryGetValue(registration.Name, out var entry) ? entry : null, TimedOut: false);
        }
        catch (TimeoutException)
        {
            return new OwnCheck(registration, null, TimedOut: true);
        }
    }

    /// <summary>The dashboard's own state, as its <c>/health</c> would report it: the worst of its checks.</summary>
    private static (ResourceState, string?, TimeSpan?) Overall(OwnCheck[] checks)
    {
        var statuses = checks
            .Select(check => (check.Registration.Name, Status: check.Entry?.Status ?? check.Registration.FailureStatus))
            .ToList();
        var worst = statuses.Select(s => s.Status).DefaultIfEmpty(HealthStatus.Healthy).Min();
        var failing = statuses.Where(s => s.Status != HealthStatus.Healthy).Select(s => s.Name).ToList();
        return (
            worst switch
            {
                HealthStatus.Healthy => ResourceState.Healthy,
                HealthStatus.Degraded => ResourceState.Degraded,
                _ => ResourceState.Unhealthy,
            },
            failing.Count > 0 ? $"Checks not healthy: {string.Join(", ", failing)}" : null,
            checks.Select(check => check.Entry?.Duration).Max());
    }

    private (ResourceState, string?, TimeSpan?) ToSnapshotParts(OwnCheck check)
    {
        if (check.TimedOut)
        {
            return (ResourceState.Unreachable,
                $"No answer within {options.CurrentValue.ProbeTimeout.TotalSeconds:0.#} s", options.CurrentValue.ProbeTimeout);
        }

        if (check.Entry is not { } entry)
        {
            return (ResourceState.Unknown, "The dashboard has no health check for it", null);
        }

        // An exception from a connection check means nothing answered: say Unreachable rather than Unhealthy
        // (or Degraded, for redis). Its message is not shown: driver messages can carry connection details.
        var state = entry is { Status: not HealthStatus.Healthy, Exception: not null }
            ? ResourceState.Unreachable
            : entry.Status switch
            {
                HealthStatus.Healthy => ResourceState.Healthy,
                HealthStatus.Degraded => ResourceState.Degraded,
                _ => ResourceState.Unhealthy,
            };
        var description = entry.Status == HealthStatus.Healthy
            ? null
            : entry.Description ?? (entry.Exception is not null ? "Cannot connect" : "Its health check fails");
        return (state, description, entry.Duration);
    }

    private sealed record OwnCheck(HealthCheckRegistration Registration, HealthReportEntry? Entry, bool TimedOut);
}
