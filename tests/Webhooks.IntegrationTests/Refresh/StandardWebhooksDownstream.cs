using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// A downstream system written the way our README tells its authors to: a Kestrel endpoint on loopback that knows only
/// the notify secret and the <c>StandardWebhooks</c> package. It verifies every request (signature and the package's
/// 5-minute tolerance), answers 401 to one it refuses, and processes a <c>webhook-id</c> once.
/// </summary>
public sealed class StandardWebhooksDownstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Received> _processed = new();

    private StandardWebhooksDownstream(WebApplication app) => _app = app;

    /// <summary>The secret it verifies with (<c>whsec_…</c>); set it once the warehouse's create answer gives it.</summary>
    public string? Secret { get; set; }

    /// <summary>Notifications verified and processed, one per <c>webhook-id</c>.</summary>
    public IReadOnlyCollection<Received> Processed => [.. _processed.Values];

    /// <summary>Verified requests whose <c>webhook-id</c> was processed already (a retry or a replay inside the tolerance).</summary>
    public ConcurrentQueue<Received> Repeats { get; } = new();

    /// <summary>Requests the package refused, with its reason.</summary>
    public ConcurrentQueue<(Received Request, string Reason)> Refused { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/freight";

    public static async Task<StandardWebhooksDownstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var downstream = new StandardWebhooksDownstream(app);
        app.MapPost("/freight", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var payload = await reader.ReadToEndAsync();
            var received = new Received(payload, request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            try
            {
                new StandardWebhook(downstream.Secret!).Verify(payload, request.Headers);
            }
            catch (WebhookVerificationException e)
            {
                downstream.Refused.Enqueue((received, e.Message));
                return Results.Unauthorized();
            }

            if (!downstream._processed.TryAdd(request.Headers["webhook-id"].ToString(), received))
            {
                downstream.Repeats.Enqueue(received);
            }

            return Results.NoContent();
        });
        await app.StartAsync();
        return downstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(string Payload, IReadOnlyDictionary<string, string> Headers);
}
