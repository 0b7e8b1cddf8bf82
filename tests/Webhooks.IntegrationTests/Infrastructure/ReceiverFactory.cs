using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Webhooks.AppHost.Stack;
using Webhooks.Grains.Tokens;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>
/// The Receiver service in-process (<see cref="WebApplicationFactory{TEntryPoint}"/>) on real PostgreSQL and Redis,
/// with its own database, its own Orleans cluster id and free silo ports, and a known admin token.
/// </summary>
public sealed class ReceiverFactory(StorageFixture storage, string databasePrefix = "receiver", ReceiverFactory? sameDatabaseAs = null)
    : WebApplicationFactory<Webhooks.Receiver.ReceiverEntryPoint>
{
    /// <summary>Another replica's admin token works here too when the database is shared.</summary>
    public string AdminToken { get; } = sameDatabaseAs?.AdminToken ?? ApiTokenSecret.Generate();

    /// <summary>Its own database, or (a second replica) the database of <c>sameDatabaseAs</c>, or one a test restored.</summary>
    public string DatabaseConnectionString { get; init; } = sameDatabaseAs?.DatabaseConnectionString ?? storage.CreateDatabaseConnectionString(databasePrefix);

    /// <summary>The key-encryption key of the Data Protection key ring; shared with a second replica's database.</summary>
    public string KeyEncryptionKey { get; init; } = sameDatabaseAs?.KeyEncryptionKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}";

    /// <summary>Settings a test wants on top of the defaults (set before the first client is created).</summary>
    public Dictionary<string, string?> Settings { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureLogging(logging => logging.KeepOffTestConsole());
        builder.UseSetting("ConnectionStrings:webhooks", DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:redis", storage.RedisConnectionString);
        builder.UseSetting("Webhooks:BootstrapAdminToken", AdminToken);
        builder.UseSetting("Webhooks:DataProtection:KeyEncryptionKey", KeyEncryptionKey);
        builder.UseSetting("Webhooks:PublicBaseUrl", "https://webhooks.example.test");
        builder.UseSetting("Orleans:ClusterId", ClusterId);
        builder.UseSetting("Orleans:ServiceId", ClusterId);
        // As Aspire's Orleans integration passes them: Redis clustering through the keyed client "redis".
        builder.UseSetting("Orleans:Clustering:ProviderType", "Redis");
        builder.UseSetting("Orleans:Clustering:ServiceKey", "redis");
        builder.UseSetting("Orleans:Endpoints:SiloPort", FreePort.Choose().ToString());
        builder.UseSetting("Orleans:Endpoints:GatewayPort", FreePort.Choose().ToString());
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>A client that authenticates as admin on the management API.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }
}
