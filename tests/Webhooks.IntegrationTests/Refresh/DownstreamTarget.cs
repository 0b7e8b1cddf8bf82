using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// A downstream system (a CI server) on a loopback Kestrel port: records every Freight event it receives, or, when
/// <see cref="Hang"/> is set, never answers, like a dead target.
/// </summary>
public sealed class DownstreamTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private DownstreamTarget(WebApplication app) => _app = app;

    public ConcurrentQueue<(byte[] Body, string? Signature, string? IdempotencyKey)> Received { get; } = new();

    public bool Hang { get; init; }

    /// <summary>Runs once a request is recorded, before it is answered 200 (a fault injected at that moment).</summary>
    public Func<Task>? OnReceived { get; set; }

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/freight";

    public static async Task<DownstreamTarget> StartAsync(bool hang = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var target = new DownstreamTarget(app) { Hang = hang };
        app.MapPost("/freight", async (HttpRequest request) =>
        {
            if (target.Hang)
            {
                await Task.Delay(Timeout.Infinite, target._stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.StatusCode(503);
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            target.Received.Enqueue((body.ToArray(), request.Headers["X-Hub-Signature"].FirstOrDefault(), request.Headers["Idempotency-Key"].FirstOrDefault()));
            if (target.OnReceived is { } onReceived)
            {
                await onReceived();
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
