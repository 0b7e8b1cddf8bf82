using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Security;

/// <summary>
/// A <c>pg_dump</c> of a populated database, restored into a fresh one by someone without the key-encryption key:
/// no receiver secret, notify secret or git credential comes out of it — not as text, not through Data Protection with
/// the key ring it contains — while the stack that has the key goes on verifying signatures, and the same backup
/// restored with the key works.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class LeakedBackupTests(StorageFixture storage) : IAsyncLifetime
{
    private const string PostgresBin = "/usr/lib/postgresql/15/bin";
    private const string ReceiverSecret = "receiver-secret-Vb8nQ2xR5tW1";
    private const string NotifySecret = "notify-secret-Jm4kP9sD3fG7";
    private const string GitPassword = "git-password-Ny6hT1cE8uA2";
    private readonly ReceiverFactory _factory = new(storage, "backup");
    private readonly string _directory = Directory.CreateTempSubdirectory("webhooks-backup-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        // The contexts opened here use Npgsql's global pools: close their idle connections.
        NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task ARestoredBackupWithoutTheKeyEncryptionKeyRevealsNoSecretWhileTheStackStillVerifiesSignatures()
    {
        using var admin = _factory.CreateAdminClient();
        await Post(admin, "/api/projects", new { name = "vault" });
        var receiver = await Post(admin, "/api/projects/vault/receivers", new { name = "given", secret = ReceiverSecret });
        var receiverPath = new Uri(receiver.GetProperty("url").GetString()!).AbsolutePath;
        await Post(admin, "/api/projects/vault/warehouses", new
        {
            name = "app",
            subscriptions = new object[]
            {
                new { repoUrl = "https://git.example.com/scm/PROJ/lib.git", discovery = "git", credentials = new { username = "ci", password = GitPassword } },
            },
            notify = new { url = "http://127.0.0.1:9/freight", secret = NotifySecret },
            // The repository is a name, not a server: saved without listing it first.
            verify = false,
        });

        var plainDump = Path.Combine(_directory, "webhooks.sql");
        var customDump = Path.Combine(_directory, "webhooks.dump");
        await PgAsync("pg_dump", _factory.DatabaseConnectionString, "--format=plain", $"--file={plainDump}");
        await PgAsync("pg_dump", _factory.DatabaseConnectionString, "--format=custom", $"--file={customDump}");
        var restored = storage.CreateDatabaseConnectionString("restored");
        await CreateDatabaseAsync(restored);
        await PgAsync("pg_restore", restored, "--no-owner", "--exit-on-error", customDump);

        // As text: no secret, and no key of the key ring in clear.
        var dumpText = await File.ReadAllTextAsync(plainDump);
        Assert.Contains("encryptedKey", dumpText, StringComparison.Ordinal);
        foreach (var secret in new[] { ReceiverSecret, NotifySecret, GitPassword, "unencrypted form", "masterKey" })
        {
            Assert.DoesNotContain(secret, dumpText, StringComparison.Ordinal);
        }

        // Through Data Protection and the restored key ring: without the key-encryption key, or with another one.
        var stored = await StoredSecretsAsync(restored);
        Assert.Equal(3, stored.Count);
        foreach (var keyEncryptionKey in new string?[] { null, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) })
        {
            await using var attacker = DataProtectionOver(restored, keyEncryptionKey);
            var provider = attacker.GetRequiredService<IDataProtectionProvider>();
            var receivers = new ReceiverSecretProtector(provider);
            var warehouses = new WarehouseSecretProtector(provider);
            Assert.ThrowsAny<CryptographicException>(() => receivers.Unprotect(stored.ReceiverSecret));
            Assert.ThrowsAny<CryptographicException>(() => warehouses.UnprotectNotifySecret(stored.NotifySecret));
            Assert.ThrowsAny<CryptographicException>(() => warehouses.UnprotectCredentials(stored.Credentials));
        }

        // The stack that has the key: the original database, and the backup restored next to the key.
        using var client = _factory.CreateClient();
        await AssertSignedPushAcceptedAsync(client, receiverPath, "cloud-repo-push-signed.json");
        await using var recovered = new ReceiverFactory(storage) { DatabaseConnectionString = restored, KeyEncryptionKey = _factory.KeyEncryptionKey };
        using var recoveredClient = recovered.CreateClient();
        // Another push: the first one's id and body are already remembered, and a repeat is answered as a duplicate.
        await AssertSignedPushAcceptedAsync(recoveredClient, receiverPath, "cloud-repo-push-tag-create.json");
    }

    private static async Task AssertSignedPushAcceptedAsync(HttpClient client, string receiverPath, string fixture)
    {
        using var request = BitbucketSender.Cloud(receiverPath, "repo:push", BitbucketSender.Fixture(fixture), ReceiverSecret);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private sealed record StoredSecrets(string ReceiverSecret, string NotifySecret, string Credentials)
    {
        public int Count => new[] { ReceiverSecret, NotifySecret, Credentials }.Count(s => s.Length > 0);
    }

    private static async Task<StoredSecrets> StoredSecretsAsync(string connectionString)
    {
        await using var db = new WebhooksDbContext(new DbContextOptionsBuilder<WebhooksDbContext>().UseNpgsql(connectionString).Options);
        return new StoredSecrets(
            await db.Receivers.Select(r => r.ProtectedSecret!).SingleAsync(),
            await db.Warehouses.Select(w => w.ProtectedNotifySecret!).SingleAsync(),
            await db.Subscriptions.Where(s => s.ProtectedCredentials != null).Select(s => s.ProtectedCredentials!).SingleAsync());
    }

    /// <summary>Data Protection as the services configure it, over <paramref name="connectionString"/>, with the given key-encryption key.</summary>
    private static ServiceProvider DataProtectionOver(string connectionString, string? keyEncryptionKey)
    {
        var services = new ServiceCollection();
        services.AddDbContext<WebhooksDbContext>(options => options.UseNpgsql(connectionString));
        services.AddOptions<KeyRingOptions>().Configure(options => options.KeyEncryptionKey = keyEncryptionKey);
        services.AddDataProtection().SetApplicationName("Webhooks").PersistKeysToDbContext<WebhooksDbContext>();
        services.AddLogging();
        return services.BuildServiceProvider();
    }

    private static async Task CreateDatabaseAsync(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var server = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{target.Database}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A PostgreSQL client tool against the database of <paramref name="connectionString"/> (as root, over TCP).</summary>
    private static async Task PgAsync(string tool, string connectionString, params string[] arguments)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(PostgresBin, tool))
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["PGPASSWORD"] = target.Password ?? "" },
        };
        foreach (var argument in new[] { $"--host={target.Host}", $"--port={target.Port}", $"--username={target.Username}", $"--dbname={target.Database}" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await errors}{await output}");
    }

    private static async Task<JsonElement> Post(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
