using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Events;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Events.Parsing;
using Webhooks.Receiver.Ingress.Protection;
using Webhooks.Receiver.Ingress.Recording;
using Webhooks.Receiver.SmartCommits;
using Webhooks.Grains.Refresh;

namespace Webhooks.Receiver.Ingress;

/// <summary>
/// One Bitbucket delivery, in the order the ingress contract fixes: size and time limits → receiver → signature → parse →
/// dedupe → record → route → answer. Every request leaves a history row; nothing is answered 2xx before its row is
/// committed.
/// </summary>
internal sealed partial class BitbucketIngress(
    IReceiverDirectory receivers,
    ReceiverSecretProtector secretProtector,
    DeliveryDeduplicator deduplicator,
    DeliveryRecorder recorder,
    FailedAuthenticationLimiter failedAuthentications,
    CommitLinkQueue commitLinks,
    ApiTokenVerifier tokens,
    DeliveryRouter router,
    IOptions<IngressOptions> options,
    TimeProvider timeProvider,
    ILogger<BitbucketIngress> logger)
{
    /// <summary>Longest reason kept; the history's Reason column holds 1000 characters.</summary>
    private const int MaxReasonLength = 500;

    /// <summary>A delivery to the receiver at <paramref name="receiverPath"/>.</summary>
    public Task<IngressResponse> HandleAsync(string receiverPath, HttpContext context) =>
        HandleAsync(new ReceiverIngressSource(receiverPath, receivers, secretProtector, timeProvider), context);

    /// <summary>A delivery to whatever endpoint <paramref name="source"/> stands for (a receiver, an ARM-style endpoint).</summary>
    public async Task<IngressResponse> HandleAsync(IngressSource source, HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var product = BitbucketHeaders.DetectProduct(request.Headers);
        var eventKey = Header(request, BitbucketHeaders.EventKey);
        var delivery = new Delivery
        {
            ReceivedAt = timeProvider.GetUtcNow(),
            Source = product switch { BitbucketProduct.Cloud => "cloud", BitbucketProduct.DataCenter => "datacenter", _ => "unknown" },
            Event = Truncate(eventKey, 100),
            RequestId = Truncate(Header(request, BitbucketHeaders.RequestUuid) ?? Header(request, BitbucketHeaders.RequestId), 100),
            AttemptNumber = int.TryParse(Header(request, BitbucketHeaders.AttemptNumber), out var attempt) ? attempt : null,
            Headers = RecordedHeaders.From(request.Headers),
            RemoteAddress = address,
        };

        if (failedAuthentications.IsBlocked(address, source.LimiterKey))
        {
            return Reject(delivery, started, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                "Too many requests failed authentication recently; try again later.");
        }

        if (!RequestBody.IsJson(request.ContentType))
        {
            return Reject(delivery, started, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Bitbucket events are JSON: send Content-Type: application/json.");
        }

        var limit = options.Value.MaxBodyBytes;
        var read = await RequestBody.ReadAsync(request, limit, options.Value.BodyReadTimeout, cancellationToken);
        switch (read.Status)
        {
            case BodyReadStatus.TooLarge:
                return Reject(delivery, started, StatusCodes.Status413PayloadTooLarge, "Payload too large",
                    $"The body is larger than the limit of {limit} bytes.");
            case BodyReadStatus.TimedOut:
                return Reject(delivery, started, StatusCodes.Status408RequestTimeout, "Request timeout", read.Problem!);
            case BodyReadStatus.Malformed:
                return Reject(delivery, started, StatusCodes.Status400BadRequest, "Bad request", read.Problem!);
        }

        var body = read.Body!;

        delivery.BodySize = body.Length;
        delivery.BodySha256 = SHA256.HashData(body);

        IngressResolution resolution;
        try
        {
            resolution = await ResolveAsync(source, request, cancellationToken);
        }
        catch (Exception exception) when (IsStorageFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            // Neither memory nor Redis knew the receiver (or token) and PostgreSQL could not say: Bitbucket retries a 503.
            LogLookupFailed(exception.Message);
            return Reject(delivery, started, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The receiver could not be looked up; the delivery was not accepted. Retry later.");
        }

        if (resolution.Target is not { } target)
        {
            if (resolution.Unauthorized is { } refused)
            {
                failedAuthentications.RecordFailure(address, source.LimiterKey);
                LogTokenRejected(source.LimiterKey);
                return Reject(delivery, started, StatusCodes.Status401Unauthorized, "Unauthorized", refused);
            }

            failedAuthentications.RecordFailure(address, receiver: null);
            return Reject(delivery, started, StatusCodes.Status404NotFound, "Not found", source.NotFoundDetail);
        }

        delivery.ProjectId = target.ProjectId;
        delivery.ReceiverId = target.ReceiverId;
        delivery.TokenId = target.TokenId;

        // Before the signature: from outside the receiver's networks even a correctly signed delivery is refused.
        // Counted against the sender's address only: outsiders must not spend the receiver's allowance and so lock
        // Bitbucket itself out with 429s.
        if (target.AllowedNetworks.Count > 0 && !AllowedNetworks.Allows(target.AllowedNetworks, context.Connection.RemoteIpAddress))
        {
            failedAuthentications.RecordFailure(address, receiver: null);
            LogNetworkRejected(target.ProjectName, target.Name, address);
            return Reject(delivery, started, StatusCodes.Status403Forbidden, "Forbidden",
                $"The sender's address {address} is not in this receiver's allowed networks.");
        }

        var isPing = eventKey == "diagnostics:ping";
        if (!target.Authenticated && (target.SigningKeys.Count > 0 || target.RequiresAuthentication))
        {
            var verdict = HubSignature.Verify(request.Headers[HubSignature.HeaderName], body, target.SigningKeys.Select(k => k.Key).ToList(), out var matched);
            // Data Center's "Test connection" ping arrives unsigned; it is answered and changes nothing.
            if (verdict != SignatureVerdict.Valid && !(isPing && verdict == SignatureVerdict.Missing))
            {
                failedAuthentications.RecordFailure(address, source.LimiterKey);
                LogSignatureRejected(target.ProjectName, target.Name, verdict);
                return Reject(delivery, started, StatusCodes.Status401Unauthorized, "Unauthorized",
                    verdict == SignatureVerdict.Missing ? target.MissingSignatureReason : SignatureReason(verdict));
            }

            if (matched >= 0 && target.SigningKeys[matched].TokenId is { } tokenId)
            {
                delivery.TokenId = tokenId;
                tokens.RecordUse(tokenId);
            }
        }

        // From here on the sender proved it knows the secret (or the receiver has none): keep the body.
        delivery.CompressedBody = DeliveryContent.Compress(body);

        if (string.IsNullOrWhiteSpace(eventKey))
        {
            return Reject(delivery, started, StatusCodes.Status400BadRequest, "Bad request", "The X-Event-Key header is missing.");
        }

        var parsed = BitbucketEventParser.Parse(body, eventKey, product ?? source.DefaultProduct, target.ServerUrl);
        if (!parsed.Succeeded)
        {
            return Reject(delivery, started, StatusCodes.Status400BadRequest, "Bad request", parsed.Error);
        }

        var bitbucketEvent = parsed.Event;
        delivery.RepositoryKey = Truncate(bitbucketEvent.Repository?.Key, 500);
        if (bitbucketEvent.Kind == BitbucketEventKind.Ping)
        {
            return await CommitAsync(delivery, started, DeliveryOutcome.Pong, StatusCodes.Status200OK,
                new IngressAnswer(delivery.Id, null, "pong", null), cancellationToken);
        }

        var scope = target.Scope;
        var original = await deduplicator.FindOriginalAsync(scope, delivery.RequestId, delivery.BodySha256, cancellationToken);
        if (original is not null)
        {
            return await DuplicateAsync(delivery, started, original.Value, cancellationToken);
        }

        var acted = bitbucketEvent.Kind is BitbucketEventKind.Push or BitbucketEventKind.MirrorSynchronized or BitbucketEventKind.PullRequest;
        var routed = target.FollowUp == IngressFollowUp.RouteAndLinkWhenEnabled && DeliveryRouter.Routes(bitbucketEvent.Kind);
        delivery.DedupeKey = DeliveryDeduplicator.DedupeKey(scope, delivery.RequestId, delivery.BodySha256);
        // A pull request is recorded and acted on by nobody yet: processed as soon as it is stored.
        delivery.State = routed ? DeliveryState.Accepted : acted ? DeliveryState.Processed : null;
        delivery.ProcessedAt = acted && !routed ? delivery.ReceivedAt : null;
        // The warehouse count is unknown until routing; the repository grain writes it into the recorded answer.
        var answer = new IngressAnswer(delivery.Id, eventKey, acted ? "accepted" : "ignored", acted && !routed ? 0 : null);
        var response = await CommitAsync(delivery, started, acted ? DeliveryOutcome.Accepted : DeliveryOutcome.Ignored,
            StatusCodes.Status202Accepted, answer, cancellationToken);
        if (response.StatusCode == StatusCodes.Status409Conflict)
        {
            // Another copy of this delivery won the race to PostgreSQL's unique key.
            var owner = await deduplicator.FindOwnerAsync(delivery.DedupeKey, cancellationToken) ?? Guid.Empty;
            delivery.DedupeKey = null;
            delivery.State = null;
            delivery.ProcessedAt = null;
            delivery.Id = Guid.CreateVersion7();
            return await DuplicateAsync(delivery, started, owner, cancellationToken);
        }

        if (response.StatusCode >= 300)
        {
            return response;
        }

        deduplicator.Remember(scope, delivery.RequestId, delivery.BodySha256, delivery.Id);
        // Linking commits to ALM issues happens in the background, after the commit, never delaying the answer.
        commitLinks.Enqueue(delivery.Id, target.ProjectId, always: target.FollowUp == IngressFollowUp.LinkOnly, bitbucketEvent);
        if (!routed)
        {
            return response;
        }

        // Route: one grain call, bounded, that only counts the matching warehouses from the repository grain's cached
        // subscriptions; asking them and marking the row dispatched happen after the answer, batched. The row is
        // committed, so whatever happens here the answer stays 202; a delivery whose dispatch is lost (a crash, a
        // timeout) stays accepted and the sweeper dispatches it (its answer then has no warehouse count).
        var warehouses = await router.TryAcceptAsync(delivery.Id, bitbucketEvent, CancellationToken.None);
        return IngressResponse.Success(StatusCodes.Status202Accepted, answer with { Warehouses = warehouses });
    }

    /// <summary>The target, within the storage budget: a lookup that reaches PostgreSQL may be retried by EF Core.</summary>
    private async Task<IngressResolution> ResolveAsync(IngressSource source, HttpRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.CommitTimeout);
        return await source.ResolveAsync(request, deadline.Token);
    }

    private static bool IsStorageFailure(Exception exception) =>
        exception is DbException or RetryLimitExceededException or TimeoutException or OperationCanceledException;

    private async Task<IngressResponse> DuplicateAsync(Delivery delivery, long started, Guid original, CancellationToken cancellationToken)
    {
        delivery.Reason = $"Repeats delivery {original}.";
        return await CommitAsync(delivery, started, DeliveryOutcome.Duplicate, StatusCodes.Status200OK,
            new IngressAnswer(original, null, "duplicate", null), cancellationToken);
    }

    /// <summary>
    /// Commits the row and only then answers 2xx; 503 when the database cannot commit in time (Bitbucket Cloud
    /// retries 5xx), 409 (internal, never sent) when another row owns the dedupe key.
    /// </summary>
    private async Task<IngressResponse> CommitAsync(
        Delivery delivery, long started, DeliveryOutcome outcome, int statusCode, IngressAnswer answer, CancellationToken cancellationToken)
    {
        var response = IngressResponse.Success(statusCode, answer);
        delivery.Outcome = outcome;
        delivery.StatusCode = statusCode;
        delivery.Answer = response.Json;
        delivery.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.CommitTimeout);
            var recorded = await recorder.RecordAsync(delivery, timeout.Token);
            return recorded == RecordOutcome.Committed ? response : new IngressResponse(StatusCodes.Status409Conflict, answer);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            LogCommitFailed(delivery.Id, exception.Message);
            return IngressResponse.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The delivery could not be stored; it was not accepted. Retry later.", delivery.Id);
        }
    }

    private IngressResponse Reject(Delivery delivery, long started, int statusCode, string title, string detail)
    {
        // Parse errors quote the payload: a NUL (PostgreSQL text and jsonb refuse it) or a 5 000-character name would
        // make the row impossible to insert, and lose it together with the rest of its group commit.
        detail = Printable(detail, MaxReasonLength);
        var response = IngressResponse.Problem(statusCode, title, detail, delivery.Id);
        delivery.Outcome = DeliveryOutcome.Rejected;
        delivery.StatusCode = statusCode;
        delivery.Reason = detail;
        delivery.Answer = response.Json;
        delivery.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        recorder.RecordInBackground(delivery);
        return response;
    }

    private static string SignatureReason(SignatureVerdict verdict) => verdict switch
    {
        SignatureVerdict.UnsupportedAlgorithm => "The X-Hub-Signature header must use sha256.",
        SignatureVerdict.Malformed => "The X-Hub-Signature header is not of the form sha256=<64 hex digits>.",
        SignatureVerdict.Repeated => "The X-Hub-Signature header must appear only once.",
        _ => "The signature does not match the body.",
    };

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static string Printable(string text, int length)
    {
        var printable = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
            }
        });
        return printable.Length <= length ? printable : printable[..(length - 1)] + "…";
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a delivery to {Project}/{Receiver}: signature {Verdict}")]
    private partial void LogSignatureRejected(string project, string receiver, SignatureVerdict verdict);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a delivery to {Project}/{Receiver} from {RemoteAddress}: not in its allowed networks")]
    private partial void LogNetworkRejected(string project, string receiver, string remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a delivery to {Endpoint}: the presented token is not valid there")]
    private partial void LogTokenRejected(string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Receiver lookup failed; answering 503: {Reason}")]
    private partial void LogLookupFailed(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {DeliveryId} could not be committed; answering 503: {Reason}")]
    private partial void LogCommitFailed(Guid deliveryId, string reason);
}
