using System.Net;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// The resilience pipeline around one delivery: retry (exponential back-off with jitter, or the target's
/// <c>Retry-After</c> up to <see cref="NotificationOptions.MaxDelay"/>) outside a per-attempt timeout. It is the only
/// retrying layer: <see cref="NotificationExtensions"/> strips the service defaults' standard handler from the
/// notifier's HttpClient.
/// </summary>
internal static class NotificationPipeline
{
    public const string Key = "Webhooks.FreightNotifications";

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, NotificationOptions options, TimeProvider timeProvider, TelemetryOptions? sharedTelemetry = null)
    {
        pipeline.TimeProvider = timeProvider;
        if (sharedTelemetry is not null)
        {
            // Polly warns on every handled attempt and retry, with the exception's stack: a dead target retried for an
            // hour made 190 warnings naming neither warehouse nor target. Each attempt is recorded in
            // notification_attempts and NotificationTargetLog logs the target's changes of state, so here they are Debug.
            pipeline.ConfigureTelemetry(new TelemetryOptions(sharedTelemetry)
            {
                SeverityProvider = arguments => arguments.Event.EventName is "ExecutionAttempt" or "OnRetry" or "OnTimeout"
                    ? ResilienceEventSeverity.Debug
                    : arguments.Event.Severity,
            });
        }

        if (options.MaxAttempts > 1)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                ShouldHandle = arguments => ValueTask.FromResult(ShouldRetry(arguments.Outcome)),
                DelayGenerator = arguments => ValueTask.FromResult(RetryAfter(arguments.Outcome.Result, options.MaxDelay, timeProvider)),
            });
        }

        pipeline.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>5xx, 408, 429, a connection failure or an attempt that timed out; never another 4xx, never a refused private address.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException { InnerException: PrivateNetworkRefusedException } } => false,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode statusCode) =>
        (int)statusCode >= 500 || statusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// The wait a response asks for (<c>Retry-After</c> as seconds or a date), never longer than
    /// <paramref name="cap"/> so a target cannot park a refresh for hours; null when it asks for nothing, which keeps
    /// the exponential back-off.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider timeProvider)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var wait = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - timeProvider.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        if (wait is null)
            return null;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > cap ? cap : wait;
    }
}
