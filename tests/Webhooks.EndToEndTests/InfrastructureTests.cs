using Npgsql;
using StackExchange.Redis;
using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Postgres;
using Webhooks.AppHost.Hosting.Processes;
using Webhooks.AppHost.Hosting.Redis;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.EndToEndTests;

/// <summary>Postgres and Redis as the AppHost runs them, without the services (independent of Receiver and Dashboard).</summary>
public sealed class InfrastructureTests : IDisposable
{
    private readonly string _root = TraversableTemporaryDirectory.Create("webhooks-infra-");

    [Fact]
    public async Task PostgresAndRedisStartServeAndStopLeavingNoProcess()
    {
        await using var app = Declare(out _, out _).Build();
        await app.StartAsync(Deadline());

        await using (var connection = new NpgsqlConnection(app.GetConnectionString("webhooks")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("webhooks", await command.ExecuteScalarAsync());
        }

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(app.GetConnectionString("redis")))
        {
            // Orleans' Redis membership needs EVAL.
            Assert.Equal(3, (int)await redis.GetDatabase().ScriptEvaluateAsync("return 1 + 2"));
        }

        var processes = app.ProcessIdsEverStarted;
        Assert.NotEmpty(processes);
        await app.StopAsync();

        Assert.DoesNotContain(processes, Posix.IsAlive);
        Assert.Equal(ResourceState.Stopped, app.GetResource("postgres").State);
    }

    [Fact]
    public async Task ASecondRunReusesTheDatabaseAndItsPassword()
    {
        string firstConnectionString;
        await using (var first = Declare(out _, out _).Build())
        {
            await first.StartAsync(Deadline());
            firstConnectionString = first.GetConnectionString("webhooks");
            await using var connection = new NpgsqlConnection(firstConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE kept (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var second = Declare(out _, out _).Build();
        await second.StartAsync(Deadline());
        await using var again = new NpgsqlConnection(second.GetConnectionString("webhooks"));
        await again.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM kept", again);

        Assert.Equal(0L, await query.ExecuteScalarAsync());
        Assert.Equal(
            new NpgsqlConnectionStringBuilder(firstConnectionString).Password,
            new NpgsqlConnectionStringBuilder(second.GetConnectionString("webhooks")).Password);
    }

    [Fact]
    public async Task APostgresLeftRunningByAKilledAppHostIsStoppedInsteadOfBlockingTheNextRun()
    {
        // The first AppHost "dies" without stopping: its postmaster keeps the data directory.
        var abandoned = Declare(out var abandonedPostgres, out _).Build();
        await abandoned.StartAsync(Deadline());
        var leftOver = abandonedPostgres.ProcessIds.Single();

        await using var next = Declare(out var postgres, out _).Build();
        await next.StartAsync(Deadline());

        Assert.False(Posix.IsAlive(leftOver));
        Assert.Equal(ResourceState.Running, postgres.State);
        await next.StopAsync();
        await abandoned.StopAsync();
    }

    [Fact]
    public async Task RestartedRedisKeepsWhatWasWrittenAndRestartedPostgresServesAgainOnTheSamePort()
    {
        await using var app = Declare(out _, out _).Build();
        await app.StartAsync(Deadline());
        var redisAddress = app.GetConnectionString("redis");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress))
        {
            // Orleans' membership table is a Redis hash: a restart that loses it leaves the silos unable to rejoin.
            await redis.GetDatabase().HashSetAsync("membership", "version", "7");
        }

        await app.RestartResourceAsync("redis", TimeSpan.FromSeconds(1), Deadline());
        await app.RestartResourceAsync("postgres", cancellationToken: Deadline());

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress))
        {
            Assert.Equal("7", (string?)await redis.GetDatabase().HashGetAsync("membership", "version"));
        }

        await using var connection = new NpgsqlConnection(app.GetConnectionString("webhooks"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private DistributedApplicationBuilder Declare(out PostgresServerResource postgres, out RedisResource redis)
    {
        var builder = DistributedApplicationBuilder.FromOptions(new StackOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            LogSink = new FileLogSink(Path.Combine(_root, $"stack-{Guid.NewGuid():N}.log")),
        });
        var server = builder.AddPostgres("postgres");
        server.AddDatabase("webhooks");
        var cache = builder.AddRedis("redis");
        postgres = server.Resource;
        redis = cache.Resource;
        return builder;
    }

    private static CancellationToken Deadline() => new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
}
