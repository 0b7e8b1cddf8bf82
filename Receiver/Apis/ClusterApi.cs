using Microsoft.AspNetCore.Http.HttpResults;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>What the Orleans cluster looks like from this replica: proof that replicas form one cluster.</summary>
internal static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cluster")
            .WithTags("Cluster")
            .RejectControlCharacters()
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy);

        api.MapGet("/", GetClusterAsync)
            .WithName("GetCluster")
            .WithSummary("The silos of the Orleans cluster and their status");

        return api;
    }

    public static async Task<Ok<ClusterView>> GetClusterAsync(IGrainFactory grains, ILocalSiloDetails localSilo, bool? all)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: all != true);
        var silos = hosts
            .OrderBy(h => h.SiloName, StringComparer.Ordinal)
            .Select(h => new SiloView(
                h.SiloAddress.ToParsableString(),
                h.SiloName,
                h.HostName,
                h.Status.ToString(),
                h.StartTime,
                h.IAmAliveTime))
            .ToList();
        return TypedResults.Ok(new ClusterView(localSilo.SiloAddress.ToParsableString(), silos));
    }
}

internal sealed record ClusterView(string ThisSilo, IReadOnlyList<SiloView> Silos);

internal sealed record SiloView(string Address, string Name, string HostName, string Status, DateTime StartedAt, DateTime LastAliveAt);
