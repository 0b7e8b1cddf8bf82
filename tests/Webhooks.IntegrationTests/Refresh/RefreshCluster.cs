using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Discovery;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Warehouse and repository grains on an <see cref="InProcessTestCluster"/> whose silos run the product's own
/// services — PostgreSQL storage and EF model, the refresh engine (discovery, sweeper, metrics) — on one fresh
/// database of the real server, with a <see cref="RefreshProbe"/> standing in for the git server, shared by all silos.
/// </summary>
public sealed class RefreshCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster _cluster;

    private RefreshCluster(InProcessTestCluster cluster, RefreshProbe probe, CapturedLogs logs, string connectionString)
    {
        _cluster = cluster;
        Probe = probe;
        Logs = logs;
        ConnectionString = connectionString;
    }

    public RefreshProbe Probe { get; }

    /// <summary>What the silos logged (Webhooks categories, and Orleans warnings).</summary>
    public CapturedLogs Logs { get; }

    public string ConnectionString { get; }

    public IClusterClient Client => _cluster.Client;

    public IReadOnlyList<InProcessSiloHandle> Silos => _cluster.Silos;

    public static async Task<RefreshCluster> StartAsync(
        StorageFixture storage, string databasePrefix, short silos = 1, IDictionary<string, string?>? settings = null)
    {
        var connectionString = storage.CreateDatabaseConnectionString(databasePrefix);
        var probe = new RefreshProbe();
        var logs = new CapturedLogs();
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:webhooks"] = connectionString,
            ["Webhooks:DataProtection:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Webhooks:Refresh:SweepInterval"] = "00:00:00.200",
            ["Webhooks:Refresh:PendingGrace"] = "00:00:01",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((silo, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Logging.KeepOffTestConsole();
            host.Logging.AddProvider(logs)
                .AddFilter((category, level) => category?.StartsWith("Webhooks", StringComparison.Ordinal) == true
                    ? level >= LogLevel.Information
                    : level >= LogLevel.Warning);
            // The receiver's storage and refresh engine, without the HTTP side (as the receiver composes them).
            host.AddWebhooksDatabase();
            host.AddDatabaseMigrator();
            host.AddKeyRing();
            host.AddTokens();
            host.AddWarehouses();
            host.AddDeliveryRouting();
            host.AddNotificationOutbox();
            host.AddRefreshEngine();
            host.Services.AddSingleton<IRefLister>(probe.ForSilo(silo.SiloName));
        });
        // A killed silo is declared dead within seconds rather than the default quarter of a minute.
        builder.ConfigureSilo((_, silo) => silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 2;
        }));

        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new RefreshCluster(cluster, probe, logs, connectionString);
    }

    public IWarehouseGrain Warehouse(TestWarehouse warehouse) => Client.GetGrain<IWarehouseGrain>(warehouse.Id);

    /// <summary>
    /// A warehouse following <c>main</c> of a payload-mode repository, plus (unless <paramref name="probed"/> is false)
    /// a git-mode probe repository it lists on every refresh (which is how the probe sees refreshes). Listed just now,
    /// with an hour's interval, so the sweeper leaves it alone and only the test's requests refresh it. Without the
    /// probe, its refreshes are planned with other payload-mode warehouses' (<c>RefreshPassBatcher</c>).
    /// </summary>
    public async Task<TestWarehouse> CreateWarehouseAsync(string name, bool probed = true)
    {
        var now = DateTimeOffset.UtcNow;
        var project = new Project { Name = $"project-{name}", CreatedAt = now };
        var payload = new Subscription
        {
            Position = 0,
            RepositoryKey = $"bitbucket.org/acme/{name}",
            RepositoryUrl = $"https://bitbucket.org/acme/{name}",
            Branch = "main",
            Discovery = DiscoveryMode.Payload,
        };
        var probe = new Subscription
        {
            Position = 1,
            RepositoryKey = $"bitbucket.org/acme/{name}-probe",
            RepositoryUrl = $"https://bitbucket.org/acme/{name}-probe.git",
            Branch = "main",
            Discovery = DiscoveryMode.Git,
        };
        var warehouse = new Warehouse
        {
            ProjectId = project.Id,
            Name = name,
            Subscriptions = probed ? [payload, probe] : [payload],
            Interval = TimeSpan.FromHours(1),
            CreatedAt = now,
            UpdatedAt = now,
            LastRefreshAt = now,
        };
        await WithDbAsync(async db =>
        {
            db.Projects.Add(project);
            db.Warehouses.Add(warehouse);
            return await db.SaveChangesAsync();
        });
        return new TestWarehouse(warehouse.Id, payload.Id, payload.RepositoryKey, probe.RepositoryUrl);
    }

    public async Task<T> WithDbAsync<T>(Func<WebhooksDbContext, Task<T>> work)
    {
        var options = new DbContextOptionsBuilder<WebhooksDbContext>().UseNpgsql(ConnectionString).Options;
        await using var db = new WebhooksDbContext(options);
        return await work(db);
    }

    public Task<List<RefreshRequest>> RequestsAsync(TestWarehouse warehouse) =>
        WithDbAsync(db => db.RefreshRequestsWithOutcomes.Where(r => r.WarehouseId == warehouse.Id)
            .OrderBy(r => r.RequestedAt).ThenBy(r => r.Id).ToListAsync());

    public Task<List<RefreshRun>> RefreshesAsync(TestWarehouse warehouse) =>
        WithDbAsync(db => db.Refreshes.AsNoTracking().Where(r => r.WarehouseId == warehouse.Id).OrderBy(r => r.StartedAt).ToListAsync());

    /// <summary>The warehouse's Freight from its payload repository, newest first.</summary>
    public Task<List<Freight>> FreightAsync(TestWarehouse warehouse) =>
        WithDbAsync(db => db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouse.Id && f.RepositoryKey == warehouse.RepositoryKey)
            .OrderByDescending(f => f.DiscoveredAt).ThenByDescending(f => f.Id).ToListAsync());

    /// <summary>Waits until every request of the warehouse is completed and no refresh is running.</summary>
    public Task IdleAsync(TestWarehouse warehouse, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => WithDbAsync(async db =>
                !await db.RefreshRequestsWithOutcomes.AnyAsync(r => r.WarehouseId == warehouse.Id && r.CompletedAt == null)
                && !await db.Refreshes.AnyAsync(r => r.WarehouseId == warehouse.Id && r.Status == RefreshStatus.Running)),
            idle => idle,
            "the warehouse to be idle",
            timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>Stops a silo the hard way: no deactivation, no goodbye to the cluster, as if its process died.</summary>
    public async Task KillAsync(string siloName)
    {
        var silo = _cluster.Silos.Single(s => s.Name == siloName);
        await _cluster.KillSiloAsync(silo);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _cluster.StopAllSilosAsync();
        }
        finally
        {
            await _cluster.DisposeAsync();
        }
    }
}
