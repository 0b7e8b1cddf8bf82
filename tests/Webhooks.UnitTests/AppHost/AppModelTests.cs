using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Webhooks.AppHost.Postgres;
using Webhooks.AppHost.Redis;

namespace Webhooks.UnitTests.AppHost;

/// <summary>The application model <c>AppHost/Program.cs</c> declares, read through Aspire.Hosting.Testing without starting it.</summary>
public sealed class AppModelTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("webhooks-model-").FullName;

    [Fact]
    public async Task TheStackIsPostgresRedisTheReceiverReplicasAndTheDashboard()
    {
        await using var builder = await CreateAsync("--replicas=3");

        Assert.IsType<PostgresServerResource>(Resource(builder, "postgres"));
        Assert.IsType<RedisServerResource>(Resource(builder, "redis"));
        var receiver = Assert.IsType<ProjectResource>(Resource(builder, "receiver"));
        Assert.Equal(3, receiver.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.IsType<ProjectResource>(Resource(builder, "dashboard"));
    }

    [Fact]
    public async Task TheServicesWaitForTheDatabaseAndRedisAndTheDashboardForTheReceivers()
    {
        await using var builder = await CreateAsync();

        Assert.Equal(["postgres", "redis"], WaitsFor(builder, "receiver"));
        Assert.Equal(["postgres", "receiver", "redis"], WaitsFor(builder, "dashboard"));
        foreach (var name in new[] { "postgres", "redis", "receiver", "dashboard" })
        {
            Assert.Contains(Resource(builder, name).Annotations, a => a is HealthCheckAnnotation);
        }
    }

    [Fact]
    public async Task TheReceiverGetsTheDatabaseRedisOrleansTheAdminTokenAndItsPublicUrl()
    {
        await using var builder = await CreateAsync();

        var environment = await Environment(builder, "receiver");

        Assert.Equal("{postgres.connectionString}", environment["ConnectionStrings__webhooks"]);
        Assert.Equal("{redis.connectionString}", environment["ConnectionStrings__redis"]);
        Assert.Equal("Redis", environment["Orleans__Clustering__ProviderType"]);
        Assert.Equal("redis", environment["Orleans__Clustering__ServiceKey"]);
        Assert.StartsWith("webhooks-", environment["Orleans__ClusterId"]);
        Assert.Equal("webhooks", environment["Orleans__ServiceId"]);
        Assert.Contains("Orleans__Endpoints__SiloPort", environment.Keys);
        Assert.Equal("{admin-token.value}", environment["Webhooks__BootstrapAdminToken"]);
        Assert.Equal("{key-encryption-key.value}", environment["Webhooks__DataProtection__KeyEncryptionKey"]);
        Assert.Equal("{receiver.bindings.http.url}", environment["Webhooks__PublicBaseUrl"]);
    }

    [Fact]
    public async Task TheDashboardIsAnOrleansClientWithoutSiloPorts()
    {
        await using var builder = await CreateAsync();

        var environment = await Environment(builder, "dashboard");

        Assert.Equal("Redis", environment["Orleans__Clustering__ProviderType"]);
        Assert.DoesNotContain("Orleans__Endpoints__SiloPort", environment.Keys);
        // The same key-encryption key as the receivers: they share the key ring.
        Assert.Equal("{key-encryption-key.value}", environment["Webhooks__DataProtection__KeyEncryptionKey"]);
    }

    [Fact]
    public async Task ConfiguredConnectionStringsReplaceTheLocalPostgresAndRedis()
    {
        await using var builder = await CreateAsync("--ConnectionStrings:webhooks=Host=db.internal;Database=webhooks", "--ConnectionStrings:redis=cache.internal:6379");

        Assert.DoesNotContain(builder.Resources, r => r is PostgresServerResource or RedisServerResource);
        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "webhooks"));
        Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "redis"));
        var environment = await Environment(builder, "receiver");
        Assert.Equal("{webhooks.connectionString}", environment["ConnectionStrings__webhooks"]);
        Assert.Equal("Redis", environment["Orleans__Clustering__ProviderType"]);
    }

    [Fact]
    public async Task PostgresRedisAndASingleReceiverAreReachedDirectlyNotThroughAspiresProxy()
    {
        await using var builder = await CreateAsync("--Ports:receiver=6180", "--DcpPublisher:RandomizePorts=false");

        foreach (var name in new[] { "postgres", "redis", "receiver" })
        {
            var endpoint = Endpoint(builder, name);
            Assert.False(endpoint.IsProxied, name);
            Assert.NotNull(endpoint.Port);
            Assert.Equal(endpoint.Port, endpoint.TargetPort);
        }

        Assert.Equal(6180, Endpoint(builder, "receiver").Port);
    }

    [Fact]
    public async Task ReceiverReplicasShareTheirPortThroughAspiresProxy()
    {
        await using var builder = await CreateAsync("--replicas=2", "--Ports:receiver=6180", "--DcpPublisher:RandomizePorts=false");

        var endpoint = Endpoint(builder, "receiver");
        Assert.True(endpoint.IsProxied);
        Assert.Equal(6180, endpoint.Port);
        Assert.Null(endpoint.TargetPort);
    }

    [Fact]
    public async Task AStackWhosePortsAreRandomizedGetsFreePortsForItsDirectEndpoints()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        // Aspire.Hosting.Testing randomizes ports so that stacks can run side by side.
        await using var builder = await CreateAsync($"--Ports:receiver={takenPort}");

        var receiver = Endpoint(builder, "receiver");
        Assert.False(receiver.IsProxied);
        Assert.NotEqual(takenPort, receiver.Port);
        Assert.Equal(3, new[] { "postgres", "redis", "receiver" }.Select(name => Endpoint(builder, name).Port).Distinct().Count());
    }

    [Theory]
    [InlineData("receiver")]
    [InlineData("dashboard")]
    public async Task TheServicesSampleTheirOwnTracesInsteadOfAspiresAlwaysOn(string name)
    {
        await using var builder = await CreateAsync();

        // The callbacks alone, as a run applies them: evaluating the values would wait for endpoints never allocated.
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in Resource(builder, name).Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", context.EnvironmentVariables.Keys);
        Assert.DoesNotContain("OTEL_TRACES_SAMPLER", context.EnvironmentVariables.Keys);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] arguments) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.Webhooks_AppHost>([$"--data-dir={_data}", .. arguments]);

    private static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) => builder.Resources.Single(r => r.Name == name);

    /// <summary>The endpoint a resource is reached at: the receiver's <c>http</c> (not its silo's), the servers' <c>tcp</c>.</summary>
    private static EndpointAnnotation Endpoint(IDistributedApplicationTestingBuilder builder, string name) =>
        Resource(builder, name).Annotations.OfType<EndpointAnnotation>().Single(e => e.Name is "http" or "tcp");

    /// <summary>A resource's environment as the manifest writes it: references as <c>{resource.property}</c> expressions.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> Environment(IDistributedApplicationTestingBuilder builder, string name)
    {
        var result = await ExecutionConfigurationBuilder.Create(Resource(builder, name))
            .WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Publish), NullLogger.Instance, CancellationToken.None);
        return result.EnvironmentVariables.ToDictionary(e => e.Key, e => e.Value);
    }

    private static List<string> WaitsFor(IDistributedApplicationTestingBuilder builder, string name) =>
        [.. Resource(builder, name).Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).Distinct().Order()];
}
