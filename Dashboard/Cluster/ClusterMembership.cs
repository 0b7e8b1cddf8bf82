namespace Webhooks.Dashboard.Cluster;

/// <summary>
/// The silos of the receivers' Orleans cluster, read through the dashboard's cluster client: their status, start time
/// and endpoints. Null when the cluster does not answer in time (the Resources page then says so and shows the rest).
/// </summary>
public sealed partial class ClusterMembership(IClusterClient client, ILogger<ClusterMembership> logger)
{
    public async Task<IReadOnlyList<SiloMember>?> ReadAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0)
                .GetDetailedHosts(onlyActive: false)
                .WaitAsync(timeout, cancellationToken);
            return [.. hosts.Select(host => new SiloMember(
                host.SiloName,
                host.SiloAddress.Endpoint.ToString(),
                host.ProxyPort,
                host.Status.ToString(),
                new DateTimeOffset(DateTime.SpecifyKind(host.StartTime, DateTimeKind.Utc)),
                new DateTimeOffset(DateTime.SpecifyKind(host.IAmAliveTime, DateTimeKind.Utc))))];
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(e.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Orleans cluster's membership could not be read ({Error})")]
    private partial void LogUnavailable(string error);
}
