using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Posts <see cref="FreightNotification"/>s as camelCase JSON through the named HttpClient
/// <see cref="NotificationExtensions.HttpClientName"/>, inside the <see cref="NotificationPipeline"/> (the only
/// retrying layer). Every attempt is reported to the caller as it ends, so a crash mid-retry loses no history.
/// Requests speak Standard Webhooks (<see cref="NotificationSignature"/>): <c>webhook-id</c> is the Freight id on
/// every attempt, <c>webhook-timestamp</c> and the signature are the attempt's own.
/// </summary>
public sealed partial class HttpFreightNotifier : IFreightNotifier
{
    public const string EventName = "freight.created";
    /// <summary>Deprecated: the body's HMAC alone, sent only for warehouses that still ask for it (<see cref="NotifyTarget.HubSignature"/>).</summary>
    public const string HubSignatureHeader = "X-Hub-Signature";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string EventHeader = "X-Webhooks-Event";
    public const string UserAgent = "Webhooks/1.0";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ResiliencePipelineProvider<string> _pipelines;
    private readonly TimeProvider _timeProvider;
    private readonly NotificationOptions _options;
    private readonly ILogger<HttpFreightNotifier> _logger;
    private readonly NotificationMetrics _metrics;

    public HttpFreightNotifier(
        IHttpClientFactory httpClientFactory,
        ResiliencePipelineProvider<string> pipelines,
        TimeProvider timeProvider,
        IOptions<NotificationOptions> options,
        NotificationMetrics metrics,
        ILogger<HttpFreightNotifier> logger)
    {
        _httpClientFactory = httpClientFactory;
        _pipelines = pipelines;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
    }

    public async Task<bool> NotifyAsync(
        FreightNotification notification,
        NotifyTarget target,
        Func<NotificationAttemptResult, CancellationToken, Task> onAttempt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(onAttempt);

        using var activity = Telemetry.ActivitySource.StartActivity("notify freight");
        activity?.SetTag("webhooks.freight.id", notification.FreightId);

        if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            // Nothing was sent, but the attempt is recorded so the operator sees why the Freight went nowhere.
            _metrics.Attempted(NotificationMetrics.PermanentFailure);
            await onAttempt(new NotificationAttemptResult(1, _timeProvider.GetUtcNow(), 0, null,
                "The target URL is not an absolute http or https URL.", false), cancellationToken);
            return false;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(notification, JsonOptions);
        var payload = Encoding.UTF8.GetString(body);
        var id = notification.FreightId.ToString();
        var hubSignature = target.HubSignature && !string.IsNullOrEmpty(target.Secret) ? Sign(target.Secret, body) : null;
        var client = _httpClientFactory.CreateClient(NotificationExtensions.HttpClientName);
        var pipeline = _pipelines.GetPipeline<HttpResponseMessage>(NotificationPipeline.Key);
        var attempt = 0;

        async ValueTask<HttpResponseMessage> SendOnceAsync(CancellationToken attemptToken)
        {
            var number = ++attempt;
            var startedAt = _timeProvider.GetUtcNow();
            var started = _timeProvider.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                using var request = CreateRequest(url, body, id, hubSignature);
                SignAttempt(request, target, id, startedAt, payload);
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException
                                              && !cancellationToken.IsCancellationRequested)
            {
                var error = exception is OperationCanceledException
                    ? $"No response within {_options.AttemptTimeout.TotalSeconds:0.###} s."
                    : Describe((HttpRequestException)exception, target.Secret);
                var outcome = exception switch
                {
                    OperationCanceledException => NotificationMetrics.Timeout,
                    HttpRequestException { InnerException: PrivateNetworkRefusedException } => NotificationMetrics.PermanentFailure,
                    _ => NotificationMetrics.RetryableFailure,
                };
                await RecordAsync(new NotificationAttemptResult(number, startedAt, Elapsed(started), null, error, false), outcome);
                throw;
            }

            try
            {
                var succeeded = response.IsSuccessStatusCode;
                var error = succeeded ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
                await RecordAsync(new NotificationAttemptResult(number, startedAt, Elapsed(started), (int)response.StatusCode, error, succeeded),
                    NotificationMetrics.Classify(response.StatusCode));
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }

        async Task RecordAsync(NotificationAttemptResult result, string outcome)
        {
            _metrics.Attempted(outcome);
            LogAttempt(_logger, notification.FreightId, result.Attempt, result.StatusCode, result.Error, result.DurationMs);
            await onAttempt(result, cancellationToken);
        }

        try
        {
            using var response = await pipeline.ExecuteAsync(SendOnceAsync, cancellationToken);
            activity?.SetTag("webhooks.notification.attempts", attempt);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException)
        {
            // Retries exhausted on a connection failure or timeout; every attempt has been recorded already.
            activity?.SetTag("webhooks.notification.attempts", attempt);
            activity?.SetStatus(ActivityStatusCode.Error, "retries exhausted");
            return false;
        }
    }

    /// <summary>
    /// The deprecated <c>X-Hub-Signature</c>: <c>sha256=</c> and the lower-case hex HMAC-SHA256 of
    /// <paramref name="body"/> keyed with the secret's UTF-8 bytes (the whole string, <c>whsec_</c> included).
    /// </summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    // A request can be sent only once: every attempt builds its own, with the same bytes and the same id.
    private static HttpRequestMessage CreateRequest(Uri url, byte[] body, string id, string? hubSignature)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.Add(NotificationSignature.IdHeader, id);
        request.Headers.Add(IdempotencyKeyHeader, id);
        request.Headers.Add(EventHeader, EventName);
        if (hubSignature is not null)
            request.Headers.Add(HubSignatureHeader, hubSignature);
        return request;
    }

    // The timestamp is the attempt's, so a retry a minute later is as fresh as the first try; the signature covers it.
    private static void SignAttempt(HttpRequestMessage request, NotifyTarget target, string id, DateTimeOffset attemptedAt, string payload)
    {
        request.Headers.Add(NotificationSignature.TimestampHeader, NotificationSignature.Timestamp(attemptedAt));
        var keys = target.SigningKeys(attemptedAt);
        if (keys.Count > 0)
            request.Headers.Add(NotificationSignature.SignatureHeader, NotificationSignature.Sign(keys, id, attemptedAt, payload));
    }

    private static string Describe(HttpRequestException exception, string? secret)
    {
        var message = exception.HttpRequestError is HttpRequestError.Unknown
            ? exception.Message
            : $"{exception.HttpRequestError}: {exception.Message}";
        return string.IsNullOrEmpty(secret) ? message : message.Replace(secret, "***", StringComparison.Ordinal);
    }

    private double Elapsed(long started) => _timeProvider.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Freight {FreightId} notification attempt {Attempt}: status {StatusCode}, error {Error}, {DurationMs:0} ms")]
    private static partial void LogAttempt(ILogger logger, Guid freightId, int attempt, int? statusCode, string? error, double durationMs);
}
