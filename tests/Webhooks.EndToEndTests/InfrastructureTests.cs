using System.Diagnostics;
using Npgsql;
using StackExchange.Redis;
using Webhooks.Testing;

namespace Webhooks.EndToEndTests;

/// <summary>PostgreSQL and Redis as the AppHost runs them, without the services.</summary>
public sealed class InfrastructureTests : IDisposable
{
    private readonly string _root = TraversableTemporaryDirectory.Create("webhooks-infra-");

    [Fact]
    public async Task PostgresAndRedisStartServeAndStopCleanlyLeavingNoProcess()
    {
        await using var stack = await StartAsync();

        await using (var connection = new NpgsqlConnection(await stack.ConnectionStringAsync("postgres")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("webhooks", await command.ExecuteScalarAsync());
        }

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(await stack.ConnectionStringAsync("redis")))
        {
            // Orleans' Redis membership needs EVAL.
            Assert.Equal(3, (int)await redis.GetDatabase().ScriptEvaluateAsync("return 1 + 2"));
        }

        var processes = stack.Processes.Tree("postgres").Concat(stack.Processes.Tree("redis")).ToList();
        Assert.True(processes.Count >= 3, $"expected postgres.sh, the postmaster and redis-server, found {processes.Count}");
        await stack.StopAsync();

        await Eventually.UntilAsync(
            () => Task.FromResult(processes.Where(ResourceProcesses.IsAlive).ToList()),
            alive => alive.Count == 0,
            TimeSpan.FromSeconds(30),
            "PostgreSQL and Redis to end");
        Assert.Equal("shut down", await PostgresCluster.StateAsync(stack.DataDirectory));
    }

    [Fact]
    public async Task ASecondRunReusesTheDatabaseItsPasswordAndTheAdminToken()
    {
        string firstConnectionString;
        string firstToken;
        await using (var first = await StartAsync())
        {
            firstConnectionString = await first.ConnectionStringAsync("postgres");
            firstToken = first.AdminToken;
            await using var connection = new NpgsqlConnection(firstConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE kept (id int)", connection);
            await create.ExecuteNonQueryAsync();
        }

        await using var second = await StartAsync(fresh: false);
        var secondConnectionString = await second.ConnectionStringAsync("postgres");
        await using var again = new NpgsqlConnection(secondConnectionString);
        await again.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM kept", again);

        Assert.Equal(0L, await query.ExecuteScalarAsync());
        Assert.Equal(new NpgsqlConnectionStringBuilder(firstConnectionString).Password, new NpgsqlConnectionStringBuilder(secondConnectionString).Password);
        Assert.Equal(firstToken, second.AdminToken);
    }

    [Fact]
    public async Task APostgresLeftRunningByAKilledRunIsStoppedInsteadOfBlockingTheNextRun()
    {
        int orphan;
        await using (var abandoned = await StartAsync())
        {
            var tree = abandoned.Processes.Tree("postgres");
            // postgres.sh dies without stopping its server, as under a killed AppHost: the postmaster keeps the cluster.
            orphan = tree[1];
            Process.GetProcessById(tree[0]).Kill();
        }

        Assert.True(ResourceProcesses.IsAlive(orphan), "the orphaned postmaster should still be running before the next start");

        await using var next = await StartAsync(fresh: false);

        Assert.False(ResourceProcesses.IsAlive(orphan));
        await using var connection = new NpgsqlConnection(await next.ConnectionStringAsync("postgres"));
        await connection.OpenAsync();
    }

    [Fact]
    public async Task RestartedRedisKeepsWhatWasWrittenAndRestartedPostgresServesAgainOnTheSameAddress()
    {
        await using var stack = await StartAsync();
        var redisAddress = await stack.ConnectionStringAsync("redis");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress))
        {
            // Orleans' membership table is a Redis hash: a restart that loses it leaves the silos unable to rejoin.
            await redis.GetDatabase().HashSetAsync("membership", "version", "7");
        }

        var postgres = await stack.ConnectionStringAsync("postgres");
        await stack.RestartAsync("redis");
        await stack.RestartAsync("postgres");

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress))
        {
            Assert.Equal("7", (string?)await redis.GetDatabase().HashGetAsync("membership", "version"));
        }

        await using var connection = new NpgsqlConnection(postgres);
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

    private Task<AppHostStack> StartAsync(bool fresh = true) =>
        AppHostStack.StartAsync(new AppHostStackOptions
        {
            InfrastructureOnly = true,
            DataDirectory = Path.Combine(_root, "data"),
            Fresh = fresh,
            LogPath = Path.Combine(_root, $"stack-{Guid.NewGuid():N}.log"),
        });
}
