using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Orleans;
using Webhooks.AppHost.Hosting.Postgres;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Redis;
using Webhooks.AppHost.Hosting.Resources;
using Webhooks.AppHost.Hosting.Secrets;

var builder = DistributedApplication.CreateBuilder(args);
Program.Declare(builder);
return await builder.Build().RunAsync();

public partial class Program
{
    /// <summary>The stack: shared by the AppHost and by the tests that start it.</summary>
    public static void Declare(IDistributedApplicationBuilder builder)
    {
        var adminToken = builder.AddAdminToken("admin-token");

        var postgres = builder.AddPostgres("postgres");
        var webhooks = postgres.AddDatabase("webhooks");
        var redis = builder.AddRedis("redis");

        var orleans = builder.AddOrleans("webhooks-cluster")
            .WithClusterId("webhooks")
            .WithServiceId("webhooks")
            .WithClustering(redis);

        var receiver = builder.AddProject("receiver", ProjectPaths.Receiver)
            .WithReplicas(builder.Options.Replicas)
            .WithReference(webhooks).WaitFor(webhooks)
            .WithReference(redis).WaitFor(redis)
            .WithReference(orleans)
            .WithEnvironment("Webhooks__BootstrapAdminToken", adminToken)
            .WithUrl("Webhook base URL", url => $"{url}webhooks/bitbucket/")
            .WithUrl("Management API", url => $"{url}api/");
        receiver.WithEnvironment("Webhooks__PublicBaseUrl", receiver.GetEndpoint(0));

        builder.AddProject("dashboard", ProjectPaths.Dashboard)
            .WithReference(webhooks).WaitFor(webhooks)
            .WithReference(redis).WaitFor(redis)
            .WithReference(orleans.AsClient())
            .WithReference(receiver).WaitFor(receiver)
            .WithEnvironment("Webhooks__BootstrapAdminToken", adminToken)
            .WithEnvironment("Webhooks__PublicBaseUrl", receiver.GetEndpoint(0))
            .WithUrl("Dashboard", url => $"{url}login?token={Uri.EscapeDataString(adminToken.Resource.Value)}");
    }
}
