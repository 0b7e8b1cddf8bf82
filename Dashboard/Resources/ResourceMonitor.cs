using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Webhooks.Dashboard.Cluster;

namespace Webhooks.Dashboard.Resources;

/// <summary>
/// Checks every resource of the catalog at once: replicas over HTTP, postgres and redis through the dashboard's
/// own health checks. Nothing waits longer than the probe timeout, so one dead dependency never stalls the page.
/// </summary>
public sealed class ResourceMonitor(
    ResourceCatalog catalog,
    ReplicaHealthProbe probe,
    ClusterMembership membership,
    ResourceStartTimes startTimes,
    HealthCheckService healthChecks,
    IOptions<HealthCheckServiceOptions> healthCheckOptions,
    IOptionsMonitor<ResourcesOptions> options,
    TimeProvider timeProvider)
{
    public async Task<IReadOnlyList<ResourceSnapshot>> CheckAsync(CancellationToken cancellationToken) =>
        (await CheckWithClusterAsync(cancellationToken)).Resources;

    /// <summary>Every resource, and the cluster's silos (null when the membership could not be read in time).</summary>
    public async Task<(IReadOnlyList<ResourceSnapshot> Resources, IReadOnlyList<SiloMember>? Silos)> CheckWithClusterAsync(
        CancellationToken cancellationToken)
    {
        var resources = catalog.Resources();
        var timeout = options.CurrentValue.ProbeTimeout;
        var silos = membership.ReadAsync(timeout, cancellationToken);
        var postgresStarted = WithinAsync(startTimes.PostgresAsync(cancellationToken), timeout);
        var redisStarted = WithinAsync(startTimes.RedisAsync(timeProvider.GetUtcNow()), timeout);

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
            var silo = resource.Service == ResourceCatalog.ReceiverService ? SiloOf(resource, await silos) : null;
            DateTimeOffset? started = resource.Kind switch
            {
                ResourceKind.PostgreSql => await postgresStarted,
                ResourceKind.Redis => await redisStarted,
                _ when resource.HealthSource == HealthSource.Self => ResourceStartTimes.Dashboard,
                _ => silo is { IsActive: true } ? silo.StartedAt : null,
            };
            return new ResourceSnapshot(resource, state, description, duration, timeProvider.GetUtcNow(), started, silo);
        });
        return (await Task.WhenAll(snapshots), await silos);
    }

    /// <summary>A replica's silo carries the replica's name; after a restart the newest entry is the live one.</summary>
    private static SiloMember? SiloOf(ResourceDefinition replica, IReadOnlyList<SiloMember>? silos) =>
        silos?.Where(silo => silo.Name == replica.Name).MaxBy(silo => silo.StartedAt);

    private static async Task<DateTimeOffset?> WithinAsync(Task<DateTimeOffset?> read, TimeSpan timeout)
    {
        try
        {
            return await read.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
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
