using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Downstream notification instruments, on the <see cref="Telemetry.NotificationsMeterName"/> meter: every attempt to
/// post a Freight event, tagged <c>outcome</c> with what the notifier made of it.
/// </summary>
public sealed class NotificationMetrics(IMeterFactory meterFactory)
{
    /// <summary>A 2xx answer.</summary>
    public const string Success = "success";

    /// <summary>5xx, 408, 429 or a connection failure: the notifier tries again (until its attempts run out).</summary>
    public const string RetryableFailure = "retryable_failure";

    /// <summary>Any other answer, or a target URL that cannot be posted to: trying again would not help.</summary>
    public const string PermanentFailure = "permanent_failure";

    /// <summary>No answer within the attempt timeout (retried like a retryable failure).</summary>
    public const string Timeout = "timeout";

    private readonly Counter<long> _attempts = meterFactory.Create(Telemetry.NotificationsMeterName)
        .CreateCounter<long>("webhooks.notifications.attempts", "{attempt}", "Freight notification attempts, by outcome");

    public void Attempted(string outcome) => _attempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The outcome of an attempt that got an answer.</summary>
    public static string Classify(HttpStatusCode statusCode) =>
        (int)statusCode is >= 200 and < 300 ? Success
        : NotificationPipeline.IsTransient(statusCode) ? RetryableFailure
        : PermanentFailure;
}
