using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Webhooks.Grains.Abstractions;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// The refresh engine's instruments, on the <see cref="Telemetry.RefreshMeterName"/> meter. Every request recorded is
/// counted once as requested, and once more when it ends coalesced into a refresh with others or deduplicated (its
/// heads were already Freight); each refresh run is counted when it starts and timed when it ends.
/// </summary>
public sealed class RefreshMetrics
{
    private readonly Counter<long> _requested;
    private readonly Counter<long> _started;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _deduplicated;
    private readonly Histogram<double> _duration;

    public RefreshMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Telemetry.RefreshMeterName);
        _requested = meter.CreateCounter<long>("webhooks.refresh.requests", "{request}",
            "Refresh requests recorded (a re-dispatched delivery asking again is not a new request), by reason");
        _started = meter.CreateCounter<long>("webhooks.refresh.started", "{refresh}", "Refreshes started");
        _coalesced = meter.CreateCounter<long>("webhooks.refresh.coalesced", "{request}",
            "Requests merged into a refresh that another request started");
        _deduplicated = meter.CreateCounter<long>("webhooks.refresh.deduplicated", "{request}",
            "Requests completed without a refresh because every head they announced was already Freight");
        _duration = meter.CreateHistogram<double>("webhooks.refresh.duration", "s",
            "How long a refresh took, from start to commit, by status",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    public void Requested(RefreshReason reason, int count = 1) =>
        _requested.Add(count, new KeyValuePair<string, object?>("reason", Tag(reason)));

    public void Started() => _started.Add(1);

    public void Coalesced(int count)
    {
        if (count > 0)
        {
            _coalesced.Add(count);
        }
    }

    public void Deduplicated(int count)
    {
        if (count > 0)
        {
            _deduplicated.Add(count);
        }
    }

    public void Finished(RefreshStatus status, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", Tag(status)));

    // Lower-case wire names, as the management API writes them; the switch keeps tag values allocation-free.
    private static string Tag(RefreshReason reason) => reason switch
    {
        RefreshReason.Push => "push",
        RefreshReason.Mirror => "mirror",
        RefreshReason.Manual => "manual",
        RefreshReason.Interval => "interval",
        _ => "other",
    };

    private static string Tag(RefreshStatus status) => status switch
    {
        RefreshStatus.Succeeded => "succeeded",
        RefreshStatus.Failed => "failed",
        RefreshStatus.Interrupted => "interrupted",
        _ => "running",
    };
}
