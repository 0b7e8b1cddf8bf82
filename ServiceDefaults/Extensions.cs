using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Webhooks.ServiceDefaults.Networking;
using Webhooks.ServiceDefaults.Redaction;
using Webhooks.ServiceDefaults.Tracing;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every Webhooks service starts with, in the shape of the Aspire service-defaults template:
/// OpenTelemetry, health checks, service discovery and resilience for outgoing HTTP.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddCredentialRedaction();
        builder.ConfigureOpenTelemetry();
        // The console logger's queue blocks the logging thread once full (default: 2,500 messages) — under load that
        // was an Orleans scheduler thread held inside a grain turn. Dropping lines (counted by the logger) beats
        // stalling ingress and refreshes behind a slow reader of stdout.
        builder.Services.Configure<ConsoleLoggerOptions>(options => options.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        builder.AddDefaultHealthChecks();
        builder.AddTrustedProxies();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry, when a collector is configured. Without one nothing is registered:
    /// every request, grain call and database command would build activities and log records nobody reads (about 15 %
    /// of the receiver's CPU per delivery under load, docs/benchmarks.md). The meters still count, for
    /// <c>dotnet-counters</c> and any other listener.
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        if (!Telemetry.IsExported(builder.Configuration))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.Orleans")
                .AddMeter(Telemetry.MeterName)
                .AddMeter(Telemetry.RefreshMeterName)
                .AddMeter(Telemetry.NotificationsMeterName))
            .WithTracing(tracing =>
            {
                if (!TraceSampling.IsConfiguredByEnvironment(builder.Configuration))
                {
                    tracing.SetSampler(_ => TraceSampling.FromConfiguration(builder.Configuration));
                }

                tracing
                    // First, so the exporters added after it only ever see redacted spans.
                    .AddProcessor(new RedactingActivityProcessor())
                    .AddSource(builder.Environment.ApplicationName)
                    .AddSource(Telemetry.ActivitySourceName)
                    .AddSource("Microsoft.Orleans.Runtime")
                    .AddSource("Microsoft.Orleans.Application")
                    .AddAspNetCoreInstrumentation(options =>
                    // Health probes would drown every other trace.
                        options.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath))
                    .AddHttpClientInstrumentation();
            });

        builder.Services.AddOpenTelemetry().UseOtlpExporter();
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> is readiness (every check must pass); <c>/alive</c> is liveness (only checks tagged "live").
    /// Both are served in every environment: the AppHost and load balancers need them, and they disclose nothing
    /// beyond Healthy/Degraded/Unhealthy.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath).DisableHttpMetrics().AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
        }).DisableHttpMetrics().AllowAnonymous();
        return app;
    }
}
