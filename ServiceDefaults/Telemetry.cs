using System.Diagnostics;
using System.Diagnostics.Metrics;

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
}
