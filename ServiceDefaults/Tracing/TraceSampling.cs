using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;

namespace Webhooks.ServiceDefaults.Tracing;

/// <summary>
/// Which traces are recorded and exported. Every trace is kept while traffic is light (a push sent by hand always shows
/// on the Aspire dashboard's Traces page); under load, at most <see cref="TracesPerSecondKey"/> new traces a second are
/// kept per process and the rest are only propagated. Exporting every span of every delivery cost 15 % of the receiver's
/// CPU per delivery (docs/benchmarks.md); a trace a second per core of load tells the same story.
/// </summary>
public static class TraceSampling
{
    /// <summary>New traces kept per second and process; 0 keeps none, a negative value keeps all.</summary>
    public const string TracesPerSecondKey = "Webhooks:Telemetry:TracesPerSecond";

    public const int DefaultTracesPerSecond = 20;

    /// <summary>
    /// Whether <c>OTEL_TRACES_SAMPLER</c> is set: the standard variable, read by the OpenTelemetry SDK itself, wins over
    /// our default.
    /// </summary>
    public static bool IsConfiguredByEnvironment(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_TRACES_SAMPLER"]);

    /// <summary>The sampler for this process: a parent-based sampler whose root keeps a number of traces a second.</summary>
    public static Sampler FromConfiguration(IConfiguration configuration)
    {
        var perSecond = configuration.GetValue(TracesPerSecondKey, DefaultTracesPerSecond);
        Sampler root = perSecond < 0 ? new AlwaysOnSampler() : new RateLimitedSampler(perSecond);
        // A span whose parent was sampled is sampled, and one whose parent was dropped is dropped: a trace is kept whole
        // or not at all, across grain calls and replicas.
        return new ParentBasedSampler(root);
    }
}
