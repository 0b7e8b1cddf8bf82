using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Security;

/// <summary>
/// The Data Protection key ring in PostgreSQL under the key-encryption key: services refuse to start without one,
/// keys stored in clear by an earlier version are encrypted on first start, and a rotation (new key plus the previous
/// one) re-encrypts every key, after which the previous key alone opens nothing.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class KeyRingTests(StorageFixture storage) : IDisposable
{
    private const string Secret = "receiver-secret-Hq7wZp2Lk9Xv";

    [Fact]
    public async Task WithoutAKeyEncryptionKeyTheReceiverRefusesToStartAndSaysWhatToSet()
    {
        await using var factory = new ReceiverFactory(storage, "kek_missing");
        factory.Settings["Webhooks:DataProtection:KeyEncryptionKey"] = "";

        var failure = Record.Exception(() => factory.Services);

        Assert.NotNull(failure);
        Assert.Contains("Webhooks__DataProtection__KeyEncryptionKey", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysStoredInClearBeforeTheKeyEncryptionKeyAreEncryptedOnFirstStartAndStillDecrypt()
    {
        var connectionString = storage.CreateDatabaseConnectionString("kek_migrate");
        string protectedSecret;
        await using (var legacy = LegacyDataProtection(connectionString))
        {
            await using (var scope = legacy.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Database.MigrateAsync();
            }

            protectedSecret = new ReceiverSecretProtector(legacy.GetRequiredService<IDataProtectionProvider>()).Protect(Secret)!;
        }

        Assert.Contains(await KeyRingXmlAsync(connectionString), xml => xml.Contains("unencrypted form", StringComparison.Ordinal));

        await using var factory = new ReceiverFactory(storage) { DatabaseConnectionString = connectionString };
        var protector = factory.Services.GetRequiredService<ReceiverSecretProtector>();

        Assert.Equal(Secret, protector.Unprotect(protectedSecret));
        var stored = await KeyRingXmlAsync(connectionString);
        Assert.NotEmpty(stored);
        Assert.All(stored, xml =>
        {
            Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
            Assert.Contains($"kek=\"{KeyId(factory.KeyEncryptionKey)}\"", xml, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RotatingTheKeyEncryptionKeyReEncryptsEveryKeyAndRetiresThePreviousOne()
    {
        var oldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var newKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var connectionString = storage.CreateDatabaseConnectionString("kek_rotate");
        string protectedSecret;
        await using (var before = new ReceiverFactory(storage) { DatabaseConnectionString = connectionString, KeyEncryptionKey = oldKey })
        {
            protectedSecret = before.Services.GetRequiredService<ReceiverSecretProtector>().Protect(Secret)!;
        }

        Assert.All(await KeyRingXmlAsync(connectionString), xml => Assert.Contains($"kek=\"{KeyId(oldKey)}\"", xml, StringComparison.Ordinal));

        // The rotation: the new key, and the old one to read what it encrypted.
        await using (var rotating = new ReceiverFactory(storage) { DatabaseConnectionString = connectionString, KeyEncryptionKey = newKey })
        {
            rotating.Settings["Webhooks:DataProtection:PreviousKeyEncryptionKeys"] = oldKey;
            Assert.Equal(Secret, rotating.Services.GetRequiredService<ReceiverSecretProtector>().Unprotect(protectedSecret));
        }

        Assert.All(await KeyRingXmlAsync(connectionString), xml =>
        {
            Assert.Contains($"kek=\"{KeyId(newKey)}\"", xml, StringComparison.Ordinal);
            Assert.DoesNotContain(KeyId(oldKey), xml, StringComparison.Ordinal);
        });

        // Afterwards the new key alone does, and the old one alone cannot start a service on this database.
        await using (var after = new ReceiverFactory(storage) { DatabaseConnectionString = connectionString, KeyEncryptionKey = newKey })
        {
            Assert.Equal(Secret, after.Services.GetRequiredService<ReceiverSecretProtector>().Unprotect(protectedSecret));
        }

        await using var retired = new ReceiverFactory(storage) { DatabaseConnectionString = connectionString, KeyEncryptionKey = oldKey };
        var failure = Record.Exception(() => retired.Services);
        Assert.NotNull(failure);
        Assert.Contains($"key-encryption key {KeyId(newKey)}", failure.ToString(), StringComparison.Ordinal);
    }

    // The contexts opened here use Npgsql's global pools: close their idle connections rather than leave them to the
    // next classes on the shared server.
    public void Dispose() => NpgsqlConnection.ClearAllPools();

    /// <summary>Data Protection as the services configured it before the key-encryption key: keys stored in clear.</summary>
    private static ServiceProvider LegacyDataProtection(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddDbContext<WebhooksDbContext>(options => options.UseNpgsql(connectionString));
        services.AddDataProtection().SetApplicationName("Webhooks").PersistKeysToDbContext<WebhooksDbContext>();
        return services.BuildServiceProvider();
    }

    private static async Task<List<string>> KeyRingXmlAsync(string connectionString)
    {
        await using var db = new WebhooksDbContext(new DbContextOptionsBuilder<WebhooksDbContext>().UseNpgsql(connectionString).Options);
        return await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
    }

    private static string KeyId(string key) => KeyEncryptionKey.Parse(key, "test").Id;
}
