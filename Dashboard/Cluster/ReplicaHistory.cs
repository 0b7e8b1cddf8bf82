using Orleans.Runtime;

namespace Webhooks.Dashboard.Cluster;

/// <summary>
/// Replicas restarted or lost recently, read from Orleans' membership (the dashboard is a cluster client; Aspire's own
/// resource state is not reachable from here). A silo counts as restarted when it started after the cluster's first
/// silo came up, so the replicas of a fresh start are not reported.
/// </summary>
public sealed class ReplicaHistory(IClusterClient cluster)
{
    /// <summary>Silos that started together with the first one (within this) are the cluster's start, not a restart.</summary>
    private static readonly TimeSpan StartTolerance = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<ReplicaEvent>> ListRecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: false).WaitAsync(cancellationToken);
        if (hosts.Length == 0)
        {
            return [];
        }

        var clusterStart = hosts.Min(h => Utc(h.StartTime));
        var events = new List<ReplicaEvent>();
        foreach (var host in hosts)
        {
            var started = Utc(host.StartTime);
            var address = host.SiloAddress.ToParsableString();
            if (host.Status == SiloStatus.Dead && Utc(host.IAmAliveTime) is var lastAlive && lastAlive >= since)
            {
                events.Add(new ReplicaEvent(host.SiloName, host.HostName, address, Lost: true, lastAlive, started));
            }
            else if (host.Status != SiloStatus.Dead && started >= since && started - clusterStart > StartTolerance)
            {
                events.Add(new ReplicaEvent(host.SiloName, host.HostName, address, Lost: false, started, started));
            }
        }

        return [.. events.OrderByDescending(e => e.At)];
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
