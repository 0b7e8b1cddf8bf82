using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Grains.Persistence;

/// <summary>
/// Applies pending EF Core migrations when a service starts, under a PostgreSQL advisory lock so that replicas
/// starting together migrate once and the others wait. Registered before anything that touches the database.
/// </summary>
public sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopeFactory,
    NpgsqlDataSource dataSource,
    IConfiguration configuration,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    // Any constant unique to this product; pg_advisory_lock keys are global to the database.
    private const long MigrationLockKey = 0x5745_4248_4F4F_4B53; // "WEBHOOKS"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                await CreateDatabaseAsync(cancellationToken);
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                // PostgreSQL may still be starting (or restarting): wait for it rather than crash-loop.
                LogDatabaseUnavailable(exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the database named in the connection string when an operator pointed us at a server without it
    /// (the AppHost creates it itself). Replicas racing here are fine: "already exists" counts as success.
    /// </summary>
    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(
            // The data source hides the password; the configured string still has it.
            configuration.GetConnectionString(WebhooksDbContext.ConnectionName));
        var database = target.Database ?? throw new InvalidOperationException("The connection string names no database.");
        LogCreatingDatabase(database);
        target.Database = "postgres";
        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var command = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            // On an empty database EF reads the history table before creating it and logs that as a failed query:
            // create it first so a first start logs no error.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                LogApplying(pending.Count, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
            }
        }
        finally
        {
            await using var unlockCommand = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLockKey})", connection);
            await unlockCommand.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplying(int count, string migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} does not exist: creating it")]
    private partial void LogCreatingDatabase(string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet, retrying: {Reason}")]
    private partial void LogDatabaseUnavailable(string reason);
}
