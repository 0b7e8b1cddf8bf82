using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Postgres;
using Webhooks.AppHost.Hosting.Testing;

namespace Webhooks.UnitTests.AppHost;

/// <summary>The environment each project is started with: Aspire's names, our product's settings.</summary>
public sealed class ProjectEnvironmentTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    [Fact]
    public async Task ReceiverGetsTheWebhooksDatabaseAndRedisAsConnectionStrings()
    {
        var app = await PreparedAsync(new StackOptions());
        var postgres = app.GetResource<PostgresServerResource>("postgres");

        var environment = app.GetEnvironment("receiver");

        Assert.Equal($"Host=127.0.0.1;Port={postgres.Port};Database=webhooks;Username=postgres;Password={postgres.Password}", environment["ConnectionStrings__webhooks"]);
        Assert.Equal(app.GetConnectionString("redis"), environment["ConnectionStrings__redis"]);
        Assert.Matches(@"^127\.0\.0\.1:\d+$", environment["ConnectionStrings__redis"]);
    }

    [Fact]
    public async Task DashboardGetsOneServiceUrlPerReceiverReplica()
    {
        var app = await PreparedAsync(new StackOptions { Replicas = 2 });

        var environment = app.GetEnvironment("dashboard");

        Assert.Equal(app.GetEndpoint("receiver", 0).ToString().TrimEnd('/'), environment["services__receiver__http__0"]);
        Assert.Equal(app.GetEndpoint("receiver", 1).ToString().TrimEnd('/'), environment["services__receiver__http__1"]);
        Assert.False(environment.ContainsKey("services__receiver__http__2"));
        Assert.NotNull(environment["ConnectionStrings__webhooks"]);
        Assert.NotNull(environment["ConnectionStrings__redis"]);
    }

    [Fact]
    public async Task EveryReceiverReplicaGetsItsOwnHttpSiloAndGatewayPorts()
    {
        var app = await PreparedAsync(new StackOptions { Replicas = 2 });

        var replicas = new[] { app.GetEnvironment("receiver", 0), app.GetEnvironment("receiver", 1) };
        var ports = replicas.SelectMany(e => new[]
        {
            new Uri(e["ASPNETCORE_URLS"]!).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e["Orleans__Endpoints__SiloPort"],
            e["Orleans__Endpoints__GatewayPort"],
        }).ToList();

        Assert.Equal(6, ports.Distinct().Count());
        Assert.All(replicas, e => Assert.Equal("webhooks", e["Orleans__ClusterId"]));
        Assert.All(replicas, e => Assert.Equal("webhooks", e["Orleans__ServiceId"]));
        Assert.Equal("service.instance.id=receiver-1", replicas[1]["OTEL_RESOURCE_ATTRIBUTES"]);
        Assert.Equal(["receiver-0", "receiver-1"], replicas.Select(e => e["Orleans__SiloName"]));
        Assert.Equal(app.GetEndpoint("receiver", 1).ToString().TrimEnd('/'), replicas[1]["ASPNETCORE_URLS"]);
    }

    [Fact]
    public async Task DashboardIsAnOrleansClientWithoutSiloPorts()
    {
        var app = await PreparedAsync(new StackOptions());

        var environment = app.GetEnvironment("dashboard");

        Assert.Equal("webhooks", environment["Orleans__ClusterId"]);
        Assert.Equal("webhooks", environment["Orleans__ServiceId"]);
        Assert.False(environment.ContainsKey("Orleans__Endpoints__SiloPort"));
        Assert.False(environment.ContainsKey("Orleans__Endpoints__GatewayPort"));
        Assert.False(environment.ContainsKey("Orleans__SiloName"));
    }

    [Fact]
    public async Task ProjectsGetServiceNameEnvironmentAdminTokenAndPublicBaseUrl()
    {
        var app = await PreparedAsync(new StackOptions { Replicas = 2 });

        foreach (var (project, replica) in new[] { ("receiver", 0), ("receiver", 1), ("dashboard", 0) })
        {
            var environment = app.GetEnvironment(project, replica);
            Assert.Equal(project, environment["OTEL_SERVICE_NAME"]);
            Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("Development", environment["DOTNET_ENVIRONMENT"]);
            Assert.Equal(app.AdminToken, environment["Webhooks__BootstrapAdminToken"]);
            Assert.Equal(app.GetEndpoint("receiver", 0).ToString().TrimEnd('/'), environment["Webhooks__PublicBaseUrl"]);
            Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }
    }

    [Fact]
    public async Task ConfiguredOtlpEndpointAndEnvironmentNameArePassedOn()
    {
        var options = new StackOptions { EnvironmentName = "Staging" };
        options.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317";
        var app = await PreparedAsync(options);

        var environment = app.GetEnvironment("receiver");

        Assert.Equal("http://127.0.0.1:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("Staging", environment["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public async Task ConfiguredConnectionStringsReplaceTheLocalPostgresAndRedis()
    {
        var options = new StackOptions();
        options.Configuration["ConnectionStrings:webhooks"] = "Host=db.example;Database=webhooks;Username=app;Password=x";
        options.Configuration["ConnectionStrings:redis"] = "cache.example:6379";
        var app = await PreparedAsync(options);

        var environment = app.GetEnvironment("receiver");

        Assert.Equal("Host=db.example;Database=webhooks;Username=app;Password=x", environment["ConnectionStrings__webhooks"]);
        Assert.Equal("cache.example:6379", environment["ConnectionStrings__redis"]);
        Assert.True(app.GetResource<PostgresServerResource>("postgres").IsExternal);
    }

    [Fact]
    public async Task TestsCanAddEnvironmentForEveryProject()
    {
        var options = new StackOptions();
        options.ProjectEnvironment["Webhooks__BootstrapAdminToken"] = "whk_test";
        options.ProjectEnvironment["Feature__Flag"] = "on";
        var app = await PreparedAsync(options);

        Assert.Equal("whk_test", app.GetEnvironment("receiver")["Webhooks__BootstrapAdminToken"]);
        Assert.Equal("on", app.GetEnvironment("dashboard")["Feature__Flag"]);
    }

    [Fact]
    public async Task AFixedPortGivesReplicaIThatPortPlusI()
    {
        var options = new StackOptions { Replicas = 2 };
        var basePort = FreePortPair();
        options.Ports["receiver"] = basePort;
        var app = await PreparedAsync(options);

        Assert.Equal(basePort, app.GetEndpoint("receiver", 0).Port);
        Assert.Equal(basePort + 1, app.GetEndpoint("receiver", 1).Port);
    }

    public void Dispose() => _data.Dispose();

    private async Task<DistributedApplication> PreparedAsync(StackOptions options)
    {
        options.DataDirectory = _data.Path;
        options.LogSink = new CollectingLogSink();
        var app = DistributedApplicationTestingBuilder.Create(options).Build();
        await app.PrepareAsync();
        return app;
    }

    private static int FreePortPair()
    {
        for (var port = 41000; port < 60000; port += 2)
        {
            if (Webhooks.AppHost.Hosting.Networking.PortAllocator.IsFree(port) && Webhooks.AppHost.Hosting.Networking.PortAllocator.IsFree(port + 1))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No two free ports.");
    }
}
