using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Benchmarks.Stack;

/// <summary>
/// A minimal OTLP/HTTP collector in the benchmark process (<c>--telemetry</c>): accepts <c>POST /v1/traces</c>,
/// <c>/v1/logs</c> and <c>/v1/metrics</c>, reads each body and answers 200 with an empty export response. The services
/// then build, batch and export every span, log record and metric as they do for the Aspire dashboard (Aspire.Hosting.Testing
/// runs without it); what it costs the collector itself is not the services' and is left out.
/// </summary>
public sealed class OtlpSink : IAsyncDisposable
{
    private static readonly string[] Signals = ["traces", "logs", "metrics"];

    private readonly WebApplication _app;
    private readonly long[] _requests = new long[Signals.Length];
    private readonly long[] _bytes = new long[Signals.Length];

    private OtlpSink(WebApplication app) => _app = app;

    /// <summary>The base address the services export to (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>
    /// What the AppHost gives a project when the Aspire dashboard runs (a development AppHost: exports every second;
    /// the AppHost removes Aspire's <c>OTEL_TRACES_SAMPLER=always_on</c>, so the services sample by rate as they do for a
    /// user), pointed at this sink over OTLP/HTTP.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Url.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based",
    };

    public static async Task<OtlpSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new OtlpSink(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            var index = Array.IndexOf(Signals, signal);
            if (index < 0)
            {
                return Results.NotFound();
            }

            var buffer = new byte[16 * 1024];
            long length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                length += read;
            }

            Interlocked.Increment(ref sink._requests[index]);
            Interlocked.Add(ref sink._bytes[index], length);
            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        sink.Url = new Uri(address);
        return sink;
    }

    /// <summary>"traces 120 requests (3.1 MB), logs …": proof that the services exported.</summary>
    public string Describe() => string.Join(", ", Signals.Select((signal, i) =>
        FormattableString.Invariant($"{signal} {Interlocked.Read(ref _requests[i])} requests ({Interlocked.Read(ref _bytes[i]) / 1e6:0.0} MB)")));

    /// <summary>Export requests received so far, all signals.</summary>
    public long Requests => Enumerable.Range(0, Signals.Length).Sum(i => Interlocked.Read(ref _requests[i]));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
