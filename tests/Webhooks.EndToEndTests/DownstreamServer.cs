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
/// per path and answers each path's n-th request (0-based) with the status its script gives. It can be stopped and
/// started again on the same port (a target that is down for a while), keeping what it received.
/// </summary>
public sealed class DownstreamServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Received>> _received = new();
    private readonly ConcurrentDictionary<string, Func<int, int>> _scripts = new();
    private WebApplication? _app;

    private DownstreamServer()
    {
    }

    public Uri Address { get; private set; } = null!;

    public static async Task<DownstreamServer> StartAsync()
    {
        var server = new DownstreamServer();
        await server.ListenAsync("http://127.0.0.1:0");
        return server;
    }

    /// <summary>Shuts the server down: its port refuses connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Listens again on the port it had, with what it received so far.</summary>
    public Task StartAgainAsync() => _app is null ? ListenAsync(Address.ToString().TrimEnd('/')) : Task.CompletedTask;

    private async Task ListenAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        var server = this;
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
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _app = app;
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

    public async ValueTask DisposeAsync() => await StopAsync();

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body);
}
