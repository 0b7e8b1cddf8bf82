using System.Net;
using System.Net.Sockets;
using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Postgres;
using Webhooks.AppHost.Hosting.Processes;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Redis;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.UnitTests.AppHost;

/// <summary>Each way the stack cannot start ends with one line saying what is wrong and how to fix it, and leaves nothing running.</summary>
public sealed class StartupFailureTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();

    [Fact]
    public async Task MissingPostgresBinariesFailWithAnInstallHintAndStopRedis()
    {
        var empty = Directory.CreateDirectory(_temp.Combine("empty-bin")).FullName;
        var builder = Builder(new StackOptions { PostgresBinDirectory = empty });
        var postgres = builder.AddPostgres("postgres");
        postgres.AddDatabase("webhooks");
        var redis = builder.AddRedis("redis");
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<StartupException>(() => app.StartAsync(Deadline()));

        Assert.Equal(FailureMessages.PostgresNotInstalled([$"{empty} (Postgres:BinDirectory)"]), failure.Message);
        Assert.Contains("apt-get install -y postgresql", failure.Message);
        Assert.DoesNotContain(app.ProcessIdsEverStarted, Posix.IsAlive);
        Assert.NotEqual(ResourceState.Running, redis.Resource.State);
    }

    [Fact]
    public async Task AConfiguredPortInUseFailsNamingTheResourceAndPort()
    {
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;
        var options = new StackOptions();
        options.Ports["redis"] = port;
        var builder = Builder(options);
        builder.AddRedis("redis");
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<StartupException>(() => app.StartAsync(Deadline()));

        Assert.Equal(FailureMessages.PortInUse("redis", port), failure.Message);
    }

    [Fact]
    public async Task ADataDirectoryThatCannotBeWrittenFailsNamingIt()
    {
        // A path below a regular file cannot be created, even by root.
        File.WriteAllText(_temp.Combine("a-file"), "");
        var dataDirectory = _temp.Combine("a-file", "webhooks");
        var builder = Builder(new StackOptions { DataDirectory = dataDirectory });
        builder.AddRedis("redis");
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<StartupException>(() => app.StartAsync(Deadline()));

        Assert.StartsWith($"The data directory {dataDirectory} is not writable (", failure.Message);
        Assert.EndsWith("pass --data-dir with a directory you own.", failure.Message);
    }

    [Fact]
    public async Task AProjectThatIsNotBuiltFailsBeforeAnythingStarts()
    {
        var projectPath = _temp.Combine("Missing", "Webhooks.Missing.csproj");
        var builder = Builder(new StackOptions());
        var redis = builder.AddRedis("redis");
        var project = builder.AddProject("missing", projectPath).WaitFor(redis);
        await using var app = builder.Build();

        var failure = await Assert.ThrowsAsync<StartupException>(() => app.StartAsync(Deadline()));

        Assert.Equal(FailureMessages.ProjectNotBuilt("missing", project.Resource.AssemblyPath), failure.Message);
        Assert.Equal(ResourceState.NotStarted, redis.Resource.State);
    }

    [Fact]
    public void EveryFailureMessageIsOneLine()
    {
        string[] lines = ["first", "  at Some.Frame()", "second\r"];
        var messages = new[]
        {
            FailureMessages.PostgresNotInstalled(["PATH", "/usr/lib/postgresql/*/bin"]),
            FailureMessages.PostgresUserMissing(),
            FailureMessages.PortInUse("dashboard", 5000),
            FailureMessages.DataDirectoryNotWritable("/data", "Permission denied"),
            FailureMessages.ProjectNotBuilt("receiver", "/r/bin/Debug/net10.0/Webhooks.Receiver.dll"),
            FailureMessages.NeverHealthy("receiver-0", "GET /health → 200", TimeSpan.FromSeconds(120), lines),
            FailureMessages.ExitedBeforeHealthy("postgres", 1, lines),
            FailureMessages.CommandFailed("postgres", "initdb", 1, lines),
            FailureMessages.PostmasterStillRunning(42, "/data/postgres"),
            FailureMessages.ExternalUnreachable("redis", "ConnectionStrings:redis", TimeSpan.FromSeconds(5), "refused"),
            FailureMessages.WaitForCycle(["a", "b", "a"]),
            FailureMessages.InvalidReplicas("x"),
            FailureMessages.MissingArgumentValue("--data-dir"),
        };

        Assert.All(messages, m => Assert.DoesNotContain('\n', m));
        Assert.All(messages, m => Assert.DoesNotContain('\r', m));
    }

    [Fact]
    public void AServiceThatNeverBecomesHealthyIsNamedWithItsLastMeaningfulLogLines()
    {
        var message = FailureMessages.NeverHealthy(
            "receiver-1",
            "GET /health → 200",
            TimeSpan.FromSeconds(120),
            ["info: starting", "fail: Unhandled exception. System.InvalidOperationException: ConnectionStrings:webhooks is missing", "   at Program.<Main>$(String[] args)"]);

        Assert.StartsWith("receiver-1 did not become healthy (GET /health → 200) within 120 s", message);
        Assert.EndsWith("Last log lines: info: starting | fail: Unhandled exception. System.InvalidOperationException: ConnectionStrings:webhooks is missing", message);
    }

    public void Dispose() => _temp.Dispose();

    private DistributedApplicationBuilder Builder(StackOptions options)
    {
        options.DataDirectory ??= _temp.Combine("data");
        options.LogSink = new CollectingLogSink();
        options.HealthTimeout = TimeSpan.FromSeconds(20);
        return DistributedApplicationBuilder.FromOptions(options);
    }

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
