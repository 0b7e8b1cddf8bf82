using Npgsql;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// One real PostgreSQL server and one real Redis for the whole test run. Each test class gets its own database
/// (<see cref="CreateDatabaseConnectionString"/>) so classes never see each other's rows.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    public string PostgresConnectionString { get; private set; } = "";

    public string RedisConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        // A developer may point the tests at servers of their own; otherwise the AppHost's resources start them.
        var postgres = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_POSTGRES");
        var redis = Environment.GetEnvironmentVariable("WEBHOOKS_TEST_REDIS");
        if (postgres is null || redis is null)
        {
            throw new InvalidOperationException("Set WEBHOOKS_TEST_POSTGRES and WEBHOOKS_TEST_REDIS.");
        }

        PostgresConnectionString = postgres;
        RedisConnectionString = redis;
        await Task.CompletedTask;
    }

    public Task DisposeAsync() => Task.CompletedTask;

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
