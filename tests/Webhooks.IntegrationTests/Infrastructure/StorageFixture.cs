using Microsoft.EntityFrameworkCore;
using Npgsql;
using Webhooks.Grains.Persistence;
using Webhooks.Testing;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// One real PostgreSQL server and one real Redis for the whole test run. Each test class gets its own database
/// (<see cref="CreateDatabaseConnectionString"/>) so classes never see each other's rows.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    public string PostgresConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    private readonly string _dataDirectory = TraversableTemporaryDirectory.Create("webhooks-it-");
    private AppHostStack? _infrastructure;

    public async Task InitializeAsync()
    {
        // A developer may point the tests at servers of their own; otherwise the AppHost's own postgres and redis
        // resources start them through Aspire, exactly as `dotnet run --project AppHost` would.
        var postgres = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_REDIS");
        if (postgres is not null && redis is not null)
        {
            PostgresConnectionString = postgres;
            RedisConnectionString = redis;
            return;
        }

        _infrastructure = await AppHostStack.StartAsync(new AppHostStackOptions
        {
            InfrastructureOnly = true,
            DataDirectory = Path.Combine(_dataDirectory, "data"),
            LogPath = Path.Combine(_dataDirectory, "infrastructure.log"),
            HealthTimeout = TimeSpan.FromMinutes(3),
        });
        PostgresConnectionString = await _infrastructure.ConnectionStringAsync("postgres");
        RedisConnectionString = await _infrastructure.ConnectionStringAsync("redis");
    }

    public async Task DisposeAsync()
    {
        if (_infrastructure is not null)
        {
            await _infrastructure.DisposeAsync();
        }

        try
        {
            // A stack that never became healthy leaves its log (named in the failure) for whoever reads it.
            Directory.Delete(_infrastructure is null && PostgresConnectionString.Length == 0 ? Path.Combine(_dataDirectory, "data") : _dataDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
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

    /// <summary>A context on a fresh, empty database (no migration applied yet).</summary>
    public WebhooksDbContext CreateDbContext(string prefix) =>
        new(new DbContextOptionsBuilder<WebhooksDbContext>().UseNpgsql(CreateDatabaseConnectionString(prefix)).Options);
}

[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageFixture>
{
    public const string Name = "storage";
}
