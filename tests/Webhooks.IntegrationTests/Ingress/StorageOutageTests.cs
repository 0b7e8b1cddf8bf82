using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Management;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests.Ingress;

/// <summary>
/// PostgreSQL holds the history, and nothing is answered 2xx before its row is committed: while the database is
/// unreachable every delivery gets 503 (Bitbucket Cloud retries 5xx), promptly, and the retries are accepted once it
/// is back, each exactly once. The receiver may still be found in the cache meanwhile; that changes none of this.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class StorageOutageTests : IngressTestBase
{
    /// <summary>How long the Receiver may wait on PostgreSQL, for a lookup or a commit, before answering 503.</summary>
    private static readonly TimeSpan StorageBudget = TimeSpan.FromSeconds(2);

    /// <summary>Bitbucket Cloud waits 10 s for an answer; a 503 must come well before, soon after the storage budget.</summary>
    private static readonly TimeSpan Prompt = StorageBudget + TimeSpan.FromSeconds(1);

    private readonly StorageFixture _storage;
    private readonly ITestOutputHelper _output;

    public StorageOutageTests(StorageFixture storage, ITestOutputHelper output) : base(storage, "storageoutage")
    {
        (_storage, _output) = (storage, output);
        Factory.Settings["Webhooks:Ingress:CommitTimeout"] = StorageBudget.ToString();
    }

    private sealed record Attempt(string Url, string Secret, string Fixture, string RequestId);

    [Fact]
    public async Task DeliveriesWhilePostgreSqlIsUnreachableGet503AndAreAcceptedOnceWhenRetried()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "outage", "warm");
        // Never looked up before the outage: only PostgreSQL knows it.
        var (coldUrl, coldSecret) = await BitbucketSender.CreateReceiverAsync(Admin, "outage", "cold");
        var warmup = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret));
        Assert.Equal(HttpStatusCode.Accepted, warmup.StatusCode);
        Attempt[] attempts =
        [
            new(url, secret, "cloud-repo-push-multiple-changes.json", Guid.NewGuid().ToString()),
            new(url, secret, "cloud-repo-push-tag-create.json", Guid.NewGuid().ToString()),
            new(url, secret, "cloud-pullrequest-created.json", Guid.NewGuid().ToString()),
            new(coldUrl, coldSecret, "cloud-repo-push-branch-delete.json", Guid.NewGuid().ToString()),
        ];

        await using (await DatabaseOutage.BeginAsync(_storage.PostgresConnectionString, Factory.DatabaseConnectionString))
        {
            foreach (var attempt in attempts)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await Client.SendAsync(Send(attempt, 1));
                var elapsed = Stopwatch.GetElapsedTime(started);
                _output.WriteLine($"PostgreSQL down: {attempt.Fixture} to {(attempt.Url == url ? "cached" : "uncached")} receiver → {(int)response.StatusCode} in {elapsed.TotalMilliseconds:F0} ms");

                await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                Assert.True(elapsed < Prompt, $"503 took {elapsed.TotalMilliseconds:F0} ms");
            }
        }

        foreach (var attempt in attempts)
        {
            var started = Stopwatch.GetTimestamp();
            using var retry = await Client.SendAsync(Send(attempt, 2));
            _output.WriteLine($"PostgreSQL back: {attempt.Fixture} attempt 2 → {(int)retry.StatusCode} in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms");

            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            Assert.Equal("accepted", (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        }

        // Accepted exactly once, by the retry. A 503 may have left a rejection row (written once PostgreSQL was back).
        var history = await DeliveriesAsync();
        foreach (var attempt in attempts)
        {
            var rows = history.Where(d => d.RequestId == attempt.RequestId).ToList();
            var accepted = Assert.Single(rows, d => d.Outcome == DeliveryOutcome.Accepted);
            Assert.Equal(2, accepted.AttemptNumber);
            Assert.All(rows.Where(d => d != accepted), rejected =>
            {
                Assert.Equal(DeliveryOutcome.Rejected, rejected.Outcome);
                Assert.Equal(503, rejected.StatusCode);
                Assert.Equal(1, rejected.AttemptNumber);
            });
        }
    }

    private static HttpRequestMessage Send(Attempt attempt, int number)
    {
        var eventKey = attempt.Fixture.Contains("pullrequest", StringComparison.Ordinal) ? "pullrequest:created" : "repo:push";
        return BitbucketSender.Cloud(attempt.Url, eventKey, BitbucketSender.Fixture(attempt.Fixture), attempt.Secret, attempt.RequestId, number);
    }

    /// <summary>
    /// Makes one database refuse connections and drops the ones it has, as a failover or a full disk would look to
    /// the Receiver; disposing lets it accept connections again.
    /// </summary>
    private sealed class DatabaseOutage : IAsyncDisposable
    {
        private readonly NpgsqlConnection _admin;
        private readonly string _database;

        private DatabaseOutage(NpgsqlConnection admin, string database) => (_admin, _database) = (admin, database);

        public static async Task<DatabaseOutage> BeginAsync(string serverConnectionString, string databaseConnectionString)
        {
            var database = new NpgsqlConnectionStringBuilder(databaseConnectionString).Database!;
            var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
            await admin.OpenAsync();
            var outage = new DatabaseOutage(admin, database);
            await outage.ExecuteAsync($"ALTER DATABASE {Quoted(database)} ALLOW_CONNECTIONS false");
            await outage.ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
            return outage;
        }

        public async ValueTask DisposeAsync()
        {
            await ExecuteAsync($"ALTER DATABASE {Quoted(_database)} ALLOW_CONNECTIONS true");
            await _admin.DisposeAsync();
        }

        private async Task ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, _admin);
            await command.ExecuteNonQueryAsync();
        }

        private static string Quoted(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
    }
}
