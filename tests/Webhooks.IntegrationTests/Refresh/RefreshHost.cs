using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Discovery;
using Webhooks.Grains.Persistence;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Receiver;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// The Receiver with its co-hosted silo on real PostgreSQL and Redis, fast sweepers, and a <see cref="FakeRefLister"/>
/// standing in for Bitbucket's git server (or, with <c>realGit</c>, the product's own <c>GitRefLister</c> running the git
/// CLI); plus the calls refresh tests keep making.
/// </summary>
public sealed class RefreshHost : IAsyncDisposable
{
    private readonly ReceiverFactory _factory;
    private readonly WebApplicationFactory<ReceiverEntryPoint> _app;

    /// <summary>Notification settings for tests: two attempts, 3 s each, 100–200 ms apart, the outbox polled every 200 ms.</summary>
    public static IReadOnlyDictionary<string, string?> QuickNotifications { get; } = new Dictionary<string, string?>
    {
        ["Webhooks:Notifications:AttemptTimeout"] = "00:00:03",
        ["Webhooks:Notifications:MaxAttempts"] = "2",
        ["Webhooks:Notifications:BaseDelay"] = "00:00:00.100",
        ["Webhooks:Notifications:MaxDelay"] = "00:00:00.200",
        ["Webhooks:Outbox:PollInterval"] = "00:00:00.200",
    };

    public RefreshHost(StorageFixture storage, string databasePrefix, IReadOnlyDictionary<string, string?>? settings = null, bool realGit = false)
    {
        _factory = new ReceiverFactory(storage, databasePrefix);
        _factory.Settings["Webhooks:Refresh:SweepInterval"] = "00:00:00.200";
        _factory.Settings["Webhooks:Refresh:PendingGrace"] = "00:00:01";
        _factory.Settings["Webhooks:Refresh:AcceptedGrace"] = "00:00:02";
        _factory.Settings["Webhooks:Refresh:MinimumInterval"] = "00:00:00.500";
        _factory.Settings["Webhooks:Refresh:RouteTimeout"] = "00:00:05";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _factory.Settings[key] = value;
        }

        _app = realGit
            ? _factory
            : _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<IRefLister>(RefLister)));
        Client = _app.CreateClient();
        Admin = _app.CreateClient();
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _factory.AdminToken);
    }

    public FakeRefLister RefLister { get; } = new();

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    public async Task<T> WithDbAsync<T>(Func<WebhooksDbContext, Task<T>> work)
    {
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<WebhooksDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    /// <summary>Creates a warehouse; <paramref name="subscriptions"/> are anonymous objects in the API's shape.</summary>
    public async Task<JsonElement> CreateWarehouseAsync(string project, string name, object[] subscriptions, object? notify = null, string? interval = null)
    {
        var created = await Admin.PostAsJsonAsync("/api/projects", new { name = project });
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict);
        var response = await Admin.PostAsJsonAsync($"/api/projects/{project}/warehouses", new { name, subscriptions, notify, interval });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating warehouse {project}/{name}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Answer)> PushAsync(string url, string secret, byte[] body)
    {
        var response = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret));
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await Admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<List<JsonElement>> FreightAsync(string project, string warehouse) =>
        (await GetAsync($"/api/projects/{project}/warehouses/{warehouse}/freight?limit=500")).EnumerateArray().ToList();

    public async Task<List<JsonElement>> RefreshesAsync(string project, string warehouse) =>
        (await GetAsync($"/api/projects/{project}/warehouses/{warehouse}/refreshes?limit=500")).EnumerateArray().ToList();

    public async Task<List<JsonElement>> RequestsAsync(string project, string warehouse) =>
        (await GetAsync($"/api/projects/{project}/warehouses/{warehouse}/requests?limit=500")).EnumerateArray().ToList();

    /// <summary>Waits until the warehouse has no pending request and no running refresh.</summary>
    public Task<JsonElement> IdleAsync(string project, string warehouse, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () => GetAsync($"/api/projects/{project}/warehouses/{warehouse}"),
            view => view.GetProperty("state").GetString() == "idle",
            $"warehouse {project}/{warehouse} to be idle",
            timeout);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        if (!ReferenceEquals(_app, _factory))
        {
            await _app.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }
}
