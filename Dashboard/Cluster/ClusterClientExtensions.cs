using Orleans.Dashboard;

namespace Webhooks.Dashboard.Cluster;

public static class ClusterClientExtensions
{
    /// <summary>
    /// Joins the receivers' Orleans cluster as a client (membership read from the same Redis), so pages can ask grains
    /// to act — "Refresh now", "Redeliver" — and the Orleans dashboard can read the silos. Cluster identity comes from
    /// the <c>Orleans</c> section Aspire's Orleans integration sets (<c>Orleans:ClusterId</c>, <c>Orleans:Clustering:…</c>).
    /// </summary>
    /// <remarks>Where the Orleans dashboard is mounted, behind the dashboard's sign-in: <see cref="OrleansDashboardPath"/>.</remarks>
    public const string OrleansDashboardPath = "/orleans";

    public static void AddClusterClient(this IHostApplicationBuilder builder) =>
        // Cluster identity and Redis clustering (the keyed client "redis") come from the Orleans section.
        builder.UseOrleansClient(client =>
            // Serves the Orleans dashboard (MapOrleansDashboard) from the silos' collected data.
            client.AddDashboard());

    /// <summary>
    /// Mounts the Orleans dashboard (grains, silos, calls; <c>/orleans/DashboardCounters</c> is its data) for signed-in
    /// operators only.
    /// </summary>
    public static IEndpointConventionBuilder MapOrleansDashboardForOperators(this WebApplication app) =>
        app.MapOrleansDashboard(routePrefix: OrleansDashboardPath).RequireAuthorization();
}
