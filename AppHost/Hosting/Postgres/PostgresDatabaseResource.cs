using Npgsql;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Postgres;

/// <summary>
/// A database on a <see cref="PostgresServerResource"/>, created when missing; or, when
/// <c>ConnectionStrings:&lt;name&gt;</c> is configured, that database instead.
/// </summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent)
    : Resource(name), IResourceWithConnectionString
{
    public PostgresServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    /// <summary>From configuration; replaces the local server.</summary>
    public string? ExternalConnectionString { get; internal set; }

    public string ConnectionString => ExternalConnectionString ?? Parent.ConnectionStringFor(DatabaseName);

    internal override IEnumerable<Resource> ImplicitDependencies => [Parent];

    internal override async Task StartAsync(StackContext context, CancellationToken cancellationToken)
    {
        State = ResourceState.Starting;
        if (ExternalConnectionString is not null)
        {
            await WaitForExternalAsync(context, cancellationToken).ConfigureAwait(false);
            State = ResourceState.External;
            return;
        }

        var admin = new NpgsqlConnectionStringBuilder(Parent.ConnectionStringFor("postgres")) { Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", DatabaseName);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            var quoted = "\"" + DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            Logger.WriteLine($"created database {DatabaseName}");
        }

        State = ResourceState.Running;
    }

    internal override Task StopAsync(StackContext context)
    {
        State = ExternalConnectionString is null ? ResourceState.Stopped : ResourceState.External;
        return Task.CompletedTask;
    }

    private async Task WaitForExternalAsync(StackContext context, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + context.Options.HealthTimeout;
        var connectionString = new NpgsqlConnectionStringBuilder(ExternalConnectionString) { Pooling = false, Timeout = 3 }.ConnectionString;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or ArgumentException)
            {
                if (DateTime.UtcNow > deadline || e is ArgumentException)
                {
                    throw new StartupException(FailureMessages.ExternalUnreachable(Name, $"ConnectionStrings:{Name}", context.Options.HealthTimeout, e.Message), e);
                }
            }

            await Task.Delay(500, cancellationToken).ConfigureAwait(false);
        }
    }
}
