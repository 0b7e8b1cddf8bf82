using Microsoft.EntityFrameworkCore;
using Npgsql;
using Webhooks.Grains.Notifications;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// The database goes away just after a target answered 200: what it answered is still recorded when the database is
/// back, and the Freight is not posted again by the next claim of its outbox entry (CI saw it arrive twice when
/// PostgreSQL restarted at that moment).
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class NotificationOutageTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(8);
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        // An outage longer than EF Core's own retries (3, up to 2 s apart), within a 15 s lease: without the outcome
        // written, the entry is claimed and posted again 15 s after its first claim.
        _host = new RefreshHost(storage, "refresh_notify_outage", new Dictionary<string, string?>(RefreshHost.QuickNotifications)
        {
            ["Webhooks:Outbox:Lease"] = "00:00:15",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ATargetsAnswerIsRecordedAfterADatabaseOutageAndTheFreightIsNotPostedAgain()
    {
        await using var target = await DownstreamTarget.StartAsync();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "ci", [new { repoUrl = "https://bitbucket.org/acme/ci", branch = "main" }],
            notify: new { url = target.Url });
        var database = await _host.WithDbAsync(db => Task.FromResult(db.Database.GetDbConnection().Database));
        Task? outage = null;
        target.OnReceived = async () =>
        {
            target.OnReceived = null;
            await SetConnectionsAllowedAsync(database, allowed: false);
            outage = Task.Run(async () =>
            {
                // The outage's length, not a wait for state.
                await Task.Delay(Outage);
                await SetConnectionsAllowedAsync(database, allowed: true);
            });
        };

        await _host.PushAsync(url, secret, CloudPush.Body("acme/ci", CloudPush.Branch("main", CloudPush.Hash("ci-1"))));

        await Poll.UntilAsync(() => Task.FromResult(outage), started => started is not null, "the target to answer and the database to go away");
        await outage!;
        var entry = await Poll.UntilAsync(
            () => _host.WithDbAsync(db => db.NotificationOutbox.AsNoTracking().SingleOrDefaultAsync()),
            e => e?.Status == NotificationStatus.Delivered,
            "the notification to be recorded delivered once the database is back",
            TimeSpan.FromSeconds(20));
        Assert.Single(target.Received);
        Assert.Equal(1, entry!.Rounds);
        var attempt = Assert.Single(await _host.WithDbAsync(db => db.NotificationAttempts.AsNoTracking().ToListAsync()));
        Assert.True(attempt.Succeeded);
        Assert.Equal(200, attempt.StatusCode);
    }

    /// <summary>
    /// Refuses (or allows again) new connections to the host's database and ends the open ones, as PostgreSQL does for
    /// its clients while it restarts; the other tests' databases on the shared server are untouched.
    /// </summary>
    private async Task SetConnectionsAllowedAsync(string database, bool allowed)
    {
        await using var connection = new NpgsqlConnection(storage.PostgresConnectionString);
        await connection.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection);
        await alter.ExecuteNonQueryAsync();
        if (!allowed)
        {
            await using var terminate = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("database", database);
            await terminate.ExecuteScalarAsync();
        }
    }
}
