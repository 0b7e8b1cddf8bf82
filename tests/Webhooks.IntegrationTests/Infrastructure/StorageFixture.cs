using Npgsql;
using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Postgres;
using Webhooks.AppHost.Hosting.Redis;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// One real PostgreSQL server and one real Redis for the whole test run. Each test class gets its own database
/// (<see cref="CreateDatabaseConnectionString"/>) so classes never see each other's rows.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    public string PostgresConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    private readonly string _dataDirectory = CreateTraversableTemporaryDirectory();
    private DistributedApplication? _infrastructure;

    public async Task InitializeAsync()
    {
        // A developer may point the tests at servers of their own; otherwise the AppHost's own postgres and redis
        // resources start them, exactly as `dotnet run --project AppHost` would.
        var postgres = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_REDIS");
        if (postgres is not null && redis is not null)
        {
            PostgresConnectionString = postgres;
            RedisConnectionString = redis;
            return;
        }

        var builder = DistributedApplicationBuilder.FromOptions(new StackOptions
        {
            DataDirectory = Path.Combine(_dataDirectory, "data"),
            Fresh = true,
        });
        builder.AddPostgres("postgres").AddDatabase("webhooks");
        builder.AddRedis("redis");
        _infrastructure = builder.Build();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await _infrastructure.StartAsync(deadline.Token);
        PostgresConnectionString = _infrastructure.GetConnectionString("webhooks");
        RedisConnectionString = _infrastructure.GetConnectionString("redis");
    }

    public async Task DisposeAsync()
    {
        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Mode 711: PostgreSQL runs as the postgres user and must pass through to its data directory, else the AppHost
    /// keeps the cluster under /var/lib/webhooks, where deleting this directory would not remove it.
    /// </summary>
    private static string CreateTraversableTemporaryDirectory()
    {
        var path = Directory.CreateTempSubdirectory("webhooks-it-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }

    /// <summary>A connection string to a fresh, empty database on the shared server.</summary>
    public string CreateDatabaseConnectionString(string prefix)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString)
        {
            Database = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)].ToLowerInvariant(),
        };
        return builder.ConnectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "storage";
}
