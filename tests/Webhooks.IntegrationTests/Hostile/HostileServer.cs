using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// The Receiver on real Kestrel (not TestServer), on loopback: its connection limits, header limits, request-line
/// limit and data-rate checks are what a hostile client meets in production. Real PostgreSQL and Redis underneath.
/// </summary>
public sealed class HostileServer : IAsyncDisposable
{
    /// <summary>Short enough that the slow cases of the corpus end in seconds.</summary>
    public static readonly TimeSpan BodyReadTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(2);

    private HostileServer(ReceiverFactory factory, Uri address)
    {
        Factory = factory;
        Address = address;
        Http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Admin = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = address };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.AdminToken);
    }

    public ReceiverFactory Factory { get; }

    /// <summary>Where Kestrel listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>An anonymous client, the way Bitbucket connects.</summary>
    public HttpClient Http { get; }

    public HttpClient Admin { get; }

    /// <summary>
    /// An anonymous client whose connections come from <paramref name="localAddress"/> (any of 127.0.0.0/8 on Linux):
    /// the server sees that as the sender's address.
    /// </summary>
    public HttpClient ClientFrom(IPAddress localAddress) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = Address,
    };

    public static HostileServer Start(StorageFixture storage, Action<Dictionary<string, string?>>? configure = null)
    {
        var factory = new ReceiverFactory(storage, "hostile");
        // The corpus fails authentication on purpose, dozens of times from one address: the limiter has its own tests.
        factory.Settings["Webhooks:Ingress:FailuresPerAddress"] = "100000";
        factory.Settings["Webhooks:Ingress:FailuresPerReceiver"] = "100000";
        factory.Settings["Webhooks:Ingress:BodyReadTimeout"] = BodyReadTimeout.ToString();
        factory.Settings["Webhooks:Server:RequestHeadersTimeout"] = HeadersTimeout.ToString();
        configure?.Invoke(factory.Settings);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new HostileServer(factory, new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1") + "/"));
    }

    /// <summary>Creates a receiver (and the project, the first time); its path-relative URL and secret.</summary>
    public Task<(string Url, string Secret)> CreateReceiverAsync(string project, string name) =>
        BitbucketSender.CreateReceiverAsync(Admin, project, name);

    /// <summary>A webhook token of <paramref name="project"/>, for the ARM-style endpoints.</summary>
    public async Task<string> CreateWebhookTokenAsync(string project)
    {
        var response = await Admin.PostAsJsonAsync("/api/tokens", new { name = "bitbucket", type = "webhook", project });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Every history row whose request id starts with <paramref name="requestIdPrefix"/>, oldest first.</summary>
    /// <summary>The delivery's derived state; null when nobody acts on it.</summary>
    public async Task<DeliveryState?> StateAsync(Guid id)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        return await db.DeliveryStatus.Where(s => s.DeliveryId == id).Select(s => (DeliveryState?)s.State).FirstOrDefaultAsync();
    }

    public async Task<List<Delivery>> DeliveriesAsync(string requestIdPrefix)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.RequestId != null && d.RequestId.StartsWith(requestIdPrefix))
            .OrderBy(d => d.ReceivedAt)
            .ToListAsync();
    }

    public async Task<int> DeliveryCountAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WebhooksDbContext>().Deliveries.CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Admin.Dispose();
        await Factory.DisposeAsync();
    }
}
