using Webhooks.AppHost.Postgres;
using Webhooks.AppHost.Redis;
using Webhooks.AppHost.Stack;

var (stack, aspireArgs) = StackOptions.Parse(args);
if (stack is null)
{
    Console.WriteLine(StackOptions.Usage);
    return 0;
}

DataDirectory.Prepare(stack.DataDirectory, stack.Fresh);
var builder = DistributedApplication.CreateBuilder(aspireArgs);
if (WellKnownPorts.FindTaken(builder.Configuration) is { } taken)
{
    Console.Error.WriteLine(taken);
    return 1;
}

var adminToken = builder.AddParameter("admin-token", () => DataDirectory.Secret(stack.DataDirectory, "admin-token", "whk_"), secret: true);
// Encrypts the Data Protection key ring kept in PostgreSQL: it lives here, never in the database.
var keyEncryptionKey = builder.AddParameter("key-encryption-key", () => DataDirectory.Secret(stack.DataDirectory, "key-encryption-key"), secret: true);
var webhooks = builder.AddStackDatabase("webhooks", stack);
var redis = builder.AddStackRedis("redis", stack);

// A cluster id per run: the silos of an earlier run (stopped by DCP without leaving the membership table, which Redis
// persists) would otherwise have to be probed and declared dead before a new silo may join: two minutes of waiting.
var orleans = builder.AddOrleans("webhooks-cluster")
    .WithClusterId($"webhooks-{DateTime.UtcNow:yyyyMMddHHmmss}")
    .WithServiceId("webhooks")
    .WithClustering(redis);

var receiver = builder.AddProject<Projects.Webhooks_Receiver>("receiver")
    .WithReceiverEndpoint(builder.Configuration, stack.Replicas)
    .WithHttpHealthCheck("/health")
    .WithReplicas(stack.Replicas)
    .WithReference(webhooks, "webhooks").WaitFor(webhooks)
    .WithReference(redis).WaitFor(redis)
    .WithReference(orleans)
    .WithEnvironment("Webhooks__BootstrapAdminToken", adminToken)
    .WithEnvironment("Webhooks__DataProtection__KeyEncryptionKey", keyEncryptionKey)
    .WithServiceTraceSampling()
    .WithWebhooksUrls();
receiver.WithEnvironment("Webhooks__PublicBaseUrl", receiver.GetEndpoint("http"));

builder.AddProject<Projects.Webhooks_Dashboard>("dashboard")
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Ports:dashboard", WellKnownPorts.Dashboard), name: "http")
    .WithHttpHealthCheck("/health")
    .WithReference(webhooks, "webhooks").WaitFor(webhooks)
    .WithReference(redis).WaitFor(redis)
    .WithReference(orleans.AsClient())
    .WaitFor(receiver)
    .WithEnvironment("Webhooks__BootstrapAdminToken", adminToken)
    .WithEnvironment("Webhooks__DataProtection__KeyEncryptionKey", keyEncryptionKey)
    .WithEnvironment("Webhooks__PublicBaseUrl", receiver.GetEndpoint("http"))
    .WithDashboardSignIn(adminToken)
    .WithServiceTraceSampling()
    .WithEnvironment("Webhooks__AspireDashboardUrl", AspireDashboard.Url(builder.Configuration) ?? "");

builder.AddStackBanner(stack, adminToken);

await builder.Build().RunAsync();
return 0;
