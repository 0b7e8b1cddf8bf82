using System.Globalization;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Redis;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Orleans;

public static class OrleansBuilderExtensions
{
    public static IResourceBuilder<OrleansResource> AddOrleans(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new OrleansResource(name));

    public static IResourceBuilder<OrleansResource> WithClusterId(this IResourceBuilder<OrleansResource> builder, string clusterId)
    {
        builder.Resource.ClusterId = clusterId;
        return builder;
    }

    public static IResourceBuilder<OrleansResource> WithServiceId(this IResourceBuilder<OrleansResource> builder, string serviceId)
    {
        builder.Resource.ServiceId = serviceId;
        return builder;
    }

    /// <summary>Membership in Redis: members get <c>ConnectionStrings__{redis}</c>.</summary>
    public static IResourceBuilder<OrleansResource> WithClustering(this IResourceBuilder<OrleansResource> builder, IResourceBuilder<RedisResource> redis)
    {
        builder.Resource.Clustering = redis.Resource;
        return builder;
    }

    public static OrleansClientReference AsClient(this IResourceBuilder<OrleansResource> builder) => new(builder.Resource);

    /// <summary>The project hosts silos: cluster settings, and distinct silo and gateway ports and silo names for every replica.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<OrleansResource> cluster)
    {
        builder.Resource.IsOrleansSilo = true;
        builder.Resource.References.Add(cluster.Resource);
        return builder.WithEnvironment(context =>
        {
            AddClusterSettings(context, cluster.Resource);
            context.Variables["Orleans__Endpoints__SiloPort"] = context.Project.SiloPorts[context.Replica].ToString(CultureInfo.InvariantCulture);
            context.Variables["Orleans__Endpoints__GatewayPort"] = context.Project.GatewayPorts[context.Replica].ToString(CultureInfo.InvariantCulture);
            // The silo carries its replica's name, so the dashboard can tell which silo is which replica.
            context.Variables["Orleans__SiloName"] = context.Project.ReplicaName(context.Replica);
        });
    }

    /// <summary>The project is an Orleans client of the cluster.</summary>
    public static IResourceBuilder<ProjectResource> WithReference(this IResourceBuilder<ProjectResource> builder, OrleansClientReference client)
    {
        builder.Resource.References.Add(client.Cluster);
        return builder.WithEnvironment(context => AddClusterSettings(context, client.Cluster));
    }

    private static void AddClusterSettings(EnvironmentContext context, OrleansResource cluster)
    {
        context.Variables["Orleans__ClusterId"] = cluster.ClusterId;
        context.Variables["Orleans__ServiceId"] = cluster.ServiceId;
        // Not Aspire's Orleans__Clustering__ProviderType/ServiceKey: with them Orleans resolves a keyed
        // IConnectionMultiplexer that only Aspire's Redis client integration registers. The services configure
        // Redis clustering in code from ConnectionStrings__redis.
        if (cluster.Clustering is { } clustering)
        {
            context.Variables[$"ConnectionStrings__{clustering.Name}"] = clustering.ConnectionString;
        }
    }
}
