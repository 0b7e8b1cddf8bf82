using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Webhooks.Dashboard.Cluster;

public static class ClusterClientExtensions
{
    /// <summary>
    /// Joins the receivers' Orleans cluster as a client (membership read from the same Redis), so pages can ask grains
    /// to act — "Refresh now", "Redeliver" — and the Orleans dashboard can read the silos. Cluster identity comes from
    /// the <c>Orleans</c> section the AppHost sets (<c>Orleans:ClusterId</c>, <c>Orleans:ServiceId</c>).
    /// </summary>
    /// <summary>Where the Orleans dashboard is mounted, behind the dashboard's sign-in.</summary>
    public const string OrleansDashboardPath = "/orleans";

    public static void AddClusterClient(this IHostApplicationBuilder builder)
    {
        var clusterId = builder.Configuration["Orleans:ClusterId"] ?? "webhooks";
        var serviceId = builder.Configuration["Orleans:ServiceId"] ?? "webhooks";
        var redis = builder.Configuration.GetConnectionString("redis")
            ?? throw new InvalidOperationException("ConnectionStrings:redis is not set: the dashboard finds the cluster through Redis.");

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
            client.UseRedisClustering(options =>
            {
                var configuration = ConfigurationOptions.Parse(redis);
                configuration.AbortOnConnectFail = false;
                options.ConfigurationOptions = configuration;
            });
            // Serves the Orleans dashboard (MapOrleansDashboard) from the silos' collected data.
            client.AddDashboard();
        });
    }

    /// <summary>
    /// Mounts the Orleans dashboard (grains, silos, calls; <c>/orleans/DashboardCounters</c> is its data) for signed-in
    /// operators only.
    /// </summary>
    public static IEndpointConventionBuilder MapOrleansDashboardForOperators(this WebApplication app) =>
        app.MapOrleansDashboard(routePrefix: OrleansDashboardPath).RequireAuthorization();
}
