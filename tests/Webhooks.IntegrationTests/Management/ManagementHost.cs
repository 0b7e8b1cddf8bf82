using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Persistence;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Receiver;
using Webhooks.Grains.Receivers;

namespace Webhooks.IntegrationTests.Management;

/// <summary>
/// The Receiver on real PostgreSQL and Redis (<see cref="ReceiverFactory"/>), with its receiver directory wrapped in a
/// <see cref="RecordingReceiverDirectory"/>, plus the few calls the management tests keep making.
/// </summary>
internal sealed class ManagementHost : IAsyncDisposable
{
    private readonly ReceiverFactory _factory;
    private readonly WebApplicationFactory<ReceiverEntryPoint> _app;

    public ManagementHost(StorageFixture storage, string databasePrefix, IDictionary<string, string?>? settings = null)
    {
        _factory = new ReceiverFactory(storage, databasePrefix);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _factory.Settings[key] = value;
        }

        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(RecordInvalidations));
    }

    public IServiceProvider Services => _app.Services;

    public RecordingReceiverDirectory Directory => _app.Services.GetRequiredService<RecordingReceiverDirectory>();

    public HttpClient CreateClient() => _app.CreateClient();

    public HttpClient CreateAdminClient()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _factory.AdminToken);
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<WebhooksDbContext, Task<T>> work)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<WebhooksDbContext>());
    }

    public Task WithDbAsync(Func<WebhooksDbContext, Task> work) =>
        WithDbAsync(async db =>
        {
            await work(db);
            return true;
        });

    public static async Task<JsonElement> CreateProjectAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/projects", new { name });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<JsonElement> CreateReceiverAsync(HttpClient client, string project, string name, string? secret = null, string? serverUrl = null)
    {
        var response = await client.PostAsJsonAsync($"/api/projects/{project}/receivers", new { name, secret, serverUrl });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private static void RecordInvalidations(IServiceCollection services)
    {
        // Until ingress registers its directory there is none to wrap; afterwards the real one keeps working underneath.
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IReceiverDirectory) && !d.IsKeyedService);
        Func<IServiceProvider, IReceiverDirectory>? inner = null;
        if (existing is not null)
        {
            services.Remove(existing);
            inner = existing switch
            {
                { ImplementationInstance: IReceiverDirectory instance } => _ => instance,
                { ImplementationFactory: { } factory } => provider => (IReceiverDirectory)factory(provider),
                _ => provider => (IReceiverDirectory)ActivatorUtilities.CreateInstance(provider, existing.ImplementationType!),
            };
        }

        services.AddSingleton(provider => new RecordingReceiverDirectory(inner?.Invoke(provider)));
        services.AddSingleton<IReceiverDirectory>(provider => provider.GetRequiredService<RecordingReceiverDirectory>());
    }
}
