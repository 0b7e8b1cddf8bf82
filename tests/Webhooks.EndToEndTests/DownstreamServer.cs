using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Webhooks.EndToEndTests;

/// <summary>
/// A downstream system (a CI server) on a loopback Kestrel port the receiver processes can reach: records every request
/// per path and answers each path's n-th request (0-based) with the status its script gives.
/// </summary>
public sealed class DownstreamServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Received>> _received = new();
    private readonly ConcurrentDictionary<string, Func<int, int>> _scripts = new();

    private DownstreamServer(WebApplication app) => _app = app;

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<DownstreamServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = new DownstreamServer(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var path = context.Request.Path.Value ?? "/";
            var queue = server._received.GetOrAdd(path, _ => new ConcurrentQueue<Received>());
            int index;
            lock (queue)
            {
                index = queue.Count;
                queue.Enqueue(new Received(
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    body.ToArray()));
            }

            context.Response.StatusCode = server._scripts.TryGetValue(path, out var script) ? script(index) : StatusCodes.Status200OK;
        });
        await app.StartAsync();
        return server;
    }

    /// <summary>A URL on this server whose n-th request is answered with <paramref name="status"/>(n); 200 without one.</summary>
    public string Url(string path, Func<int, int>? status = null)
    {
        if (status is not null)
        {
            _scripts[path] = status;
        }

        return new Uri(Address, path).ToString();
    }

    /// <summary>What arrived at <paramref name="path"/>, in order.</summary>
    public IReadOnlyList<Received> ReceivedAt(string path) =>
        _received.TryGetValue(path, out var queue) ? [.. queue] : [];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
