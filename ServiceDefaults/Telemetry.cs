using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>The product's own activity source and meters, registered with OpenTelemetry by the service defaults.</summary>
public static class Telemetry
{
    public const string ActivitySourceName = "Webhooks";
    public const string MeterName = "Webhooks";

    /// <summary>The refresh engine's meter: requests, refreshes started, coalesced and deduplicated, refresh duration.</summary>
    public const string RefreshMeterName = "Webhooks.Refresh";

    /// <summary>Downstream Freight notifications: attempts by outcome.</summary>
    public const string NotificationsMeterName = "Webhooks.Notifications";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>Whether telemetry goes anywhere: an OTLP collector is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public static bool IsExported(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
}
