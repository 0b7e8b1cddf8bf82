using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Benchmarks.Baselines;

/// <summary>
/// The ceiling: the least a correct receiver must do, in this process on loopback. Reads the body, verifies the HMAC in
/// constant time, answers 202. No storage, no routing: what the product achieves is reported as a fraction of this.
/// </summary>
public sealed class CeilingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CeilingServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Accepts any path under it (<c>/webhooks/bitbucket/{path}</c>).</summary>
    public Uri Url { get; }

    public static async Task<CeilingServer> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var key = Encoding.UTF8.GetBytes(secret);
        app.MapPost("/webhooks/bitbucket/{path}", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var expected = HMACSHA256.HashData(key, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
            var header = request.Headers["X-Hub-Signature"].ToString();
            var valid = header.StartsWith("sha256=", StringComparison.Ordinal)
                && header.Length == 7 + 64
                && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(header.AsSpan(7)), expected);
            return valid ? Results.Json(new { outcome = "accepted" }, statusCode: 202) : Results.StatusCode(401);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new CeilingServer(app, new Uri(address.TrimEnd('/') + "/webhooks/bitbucket/ceiling"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
