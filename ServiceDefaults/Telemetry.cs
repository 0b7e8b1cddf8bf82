using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Microsoft.Extensions.Hosting;

/// <summary>The product's own activity source and meter, registered with OpenTelemetry by the service defaults.</summary>
public static class Telemetry
{
    public const string ActivitySourceName = "Webhooks";
    public const string MeterName = "Webhooks";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
