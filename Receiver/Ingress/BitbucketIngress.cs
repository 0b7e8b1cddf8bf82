using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Events;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Events.Parsing;
using Webhooks.Grains.Persistence;
using Webhooks.Receiver.Ingress.Protection;
using Webhooks.Receiver.Ingress.Recording;
using Webhooks.Receiver.SmartCommits;
using Webhooks.Grains.Refresh;

namespace Webhooks.Receiver.Ingress;

/// <summary>
/// One Bitbucket delivery, in the order the ingress contract fixes, one method per step: size and time limits
/// (<see cref="ReadBodyAsync"/>) → receiver (<see cref="FindTargetAsync"/>) → signature (<see cref="VerifySignature"/>) →
/// parse (<see cref="Parse"/>) → dedupe and record, one round trip (<see cref="RecordAsync"/>) → route and answer
/// (<see cref="RouteAsync"/>). Every request leaves a history row; nothing is answered 2xx before its row is committed.
/// </summary>
internal sealed partial class BitbucketIngress(
    IReceiverDirectory receivers,
    ReceiverSecretProtector secretProtector,
    IDbContextFactory<WebhooksDbContext> dbFactory,
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
        var cancellationToken = context.RequestAborted;
        var delivery = Describe(context);

        var (body, refusal) = await ReadBodyAsync(source, context.Request, delivery, cancellationToken);
        if (refusal is not null)
        {
            return Reject(delivery, started, refusal);
        }

        using (body)
        {
            return await HandleBodyAsync(source, context, delivery, body!, started, cancellationToken);
        }
    }

    /// <summary>The steps after the body is read: whose it is, its signature, the event, the record and its routing.</summary>
    private async Task<IngressResponse> HandleBodyAsync(
        IngressSource source, HttpContext context, Delivery delivery, PooledBody body, long started, CancellationToken cancellationToken)
    {
        var (target, refusal) = await FindTargetAsync(source, context, delivery, cancellationToken);
        if (refusal is not null)
        {
            return Reject(delivery, started, refusal);
        }

        if (VerifySignature(source, target!, context.Request, body.Span, delivery) is { } unauthenticated)
        {
            return Reject(delivery, started, unauthenticated);
        }

        // From here on the sender proved it knows the secret (or the receiver has none): keep the body.
        delivery.CompressedBody = DeliveryContent.Compress(body.Span);
        (var bitbucketEvent, refusal) = Parse(source, target!, body.Memory, delivery);
        // Nothing reads the body after this: back to the pool before the commit's wait rather than after it.
        body.Dispose();
        if (refusal is not null)
        {
            return Reject(delivery, started, refusal);
        }

        if (bitbucketEvent!.Kind == BitbucketEventKind.Ping)
        {
            var pong = await CommitAsync(new NewDelivery(delivery, State: null, Scope: null), started, DeliveryOutcome.Pong,
                StatusCodes.Status200OK, new IngressAnswer(delivery.Id, null, "pong", null), cancellationToken);
            return pong.Response;
        }

        var (response, routed) = await RecordAsync(target!, bitbucketEvent, delivery, started, cancellationToken);
        if (!routed)
        {
            return response;
        }

        return await RouteAsync(delivery, bitbucketEvent, response);
    }

    /// <summary>What every history row carries, whatever becomes of the request.</summary>
    private Delivery Describe(HttpContext context)
    {
        var request = context.Request;
        var product = BitbucketHeaders.DetectProduct(request.Headers);
        return new Delivery
        {
            ReceivedAt = timeProvider.GetUtcNow(),
            Source = product switch { BitbucketProduct.Cloud => "cloud", BitbucketProduct.DataCenter => "datacenter", _ => "unknown" },
            Event = Truncate(Header(request, BitbucketHeaders.EventKey), 100),
            RequestId = Truncate(Header(request, BitbucketHeaders.RequestUuid) ?? Header(request, BitbucketHeaders.RequestId), 100),
            AttemptNumber = int.TryParse(Header(request, BitbucketHeaders.AttemptNumber), out var attempt) ? attempt : null,
            Headers = RecordedHeaders.From(request.Headers),
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        };
    }

    /// <summary>Size step: the sender's allowance, the media type, the size and time limits; the body and its hash.</summary>
    private async Task<(PooledBody? Body, Refusal? Refusal)> ReadBodyAsync(
        IngressSource source, HttpRequest request, Delivery delivery, CancellationToken cancellationToken)
    {
        if (failedAuthentications.IsBlocked(delivery.RemoteAddress!, source.LimiterKey))
        {
            return (null, new(StatusCodes.Status429TooManyRequests, "Too many failed authentications",
                "Too many requests failed authentication recently; try again later."));
        }

        if (!RequestBody.IsJson(request.ContentType))
        {
            return (null, new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Bitbucket events are JSON: send Content-Type: application/json."));
        }

        var limit = options.Value.MaxBodyBytes;
        var read = await RequestBody.ReadAsync(request, limit, options.Value.BodyReadTimeout, cancellationToken);
        switch (read.Status)
        {
            case BodyReadStatus.TooLarge:
                return (null, new(StatusCodes.Status413PayloadTooLarge, "Payload too large", $"The body is larger than the limit of {limit} bytes."));
            case BodyReadStatus.TimedOut:
                return (null, new(StatusCodes.Status408RequestTimeout, "Request timeout", read.Problem!));
            case BodyReadStatus.Malformed:
                return (null, new(StatusCodes.Status400BadRequest, "Bad request", read.Problem!));
        }

        delivery.BodySize = read.Body!.Length;
        delivery.BodySha256 = SHA256.HashData(read.Body.Span);
        return (read.Body, null);
    }

    /// <summary>Receiver step: whose delivery this is (404, 401 for a refused token, 503 when storage cannot say), and its networks (403).</summary>
    private async Task<(IngressTarget? Target, Refusal? Refusal)> FindTargetAsync(
        IngressSource source, HttpContext context, Delivery delivery, CancellationToken cancellationToken)
    {
        var address = delivery.RemoteAddress!;
        IngressResolution resolution;
        try
        {
            resolution = await ResolveAsync(source, context.Request, cancellationToken);
        }
        catch (Exception exception) when (IsStorageFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            // Neither memory nor Redis knew the receiver (or token) and PostgreSQL could not say: Bitbucket retries a 503.
            LogLookupFailed(exception.Message);
            return (null, new(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The receiver could not be looked up; the delivery was not accepted. Retry later."));
        }

        if (resolution.Target is not { } target)
        {
            if (resolution.Unauthorized is { } refused)
            {
                failedAuthentications.RecordFailure(address, source.LimiterKey);
                LogTokenRejected(source.LimiterKey);
                return (null, new(StatusCodes.Status401Unauthorized, "Unauthorized", refused));
            }

            failedAuthentications.RecordFailure(address, receiver: null);
            return (null, new(StatusCodes.Status404NotFound, "Not found", source.NotFoundDetail));
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
            return (null, new(StatusCodes.Status403Forbidden, "Forbidden", $"The sender's address {address} is not in this receiver's allowed networks."));
        }

        return (target, null);
    }

    /// <summary>Signature step: HMAC of the raw body with one of the target's keys (401); an unsigned ping passes.</summary>
    private Refusal? VerifySignature(IngressSource source, IngressTarget target, HttpRequest request, ReadOnlySpan<byte> body, Delivery delivery)
    {
        if (target.Authenticated || (target.SigningKeys.Count == 0 && !target.RequiresAuthentication))
        {
            return null;
        }

        var verdict = HubSignature.Verify(request.Headers[HubSignature.HeaderName], body, target.SigningKeys.Select(k => k.Key).ToList(), out var matched);
        // Data Center's "Test connection" ping arrives unsigned; it is answered and changes nothing.
        if (verdict != SignatureVerdict.Valid && !(delivery.Event == "diagnostics:ping" && verdict == SignatureVerdict.Missing))
        {
            failedAuthentications.RecordFailure(delivery.RemoteAddress!, source.LimiterKey);
            LogSignatureRejected(target.ProjectName, target.Name, verdict);
            return new(StatusCodes.Status401Unauthorized, "Unauthorized",
                verdict == SignatureVerdict.Missing ? target.MissingSignatureReason : SignatureReason(verdict));
        }

        if (matched >= 0 && target.SigningKeys[matched].TokenId is { } tokenId)
        {
            delivery.TokenId = tokenId;
            tokens.RecordUse(tokenId);
        }

        return null;
    }

    /// <summary>Parse step: the event in one model for Cloud and Data Center (400 for what it lacks).</summary>
    private static (BitbucketEvent? Event, Refusal? Refusal) Parse(IngressSource source, IngressTarget target, ReadOnlyMemory<byte> body, Delivery delivery)
    {
        if (string.IsNullOrWhiteSpace(delivery.Event))
        {
            return (null, new(StatusCodes.Status400BadRequest, "Bad request", "The X-Event-Key header is missing."));
        }

        // The product the headers named (Describe), else the endpoint's.
        var product = delivery.Source switch { "cloud" => BitbucketProduct.Cloud, "datacenter" => BitbucketProduct.DataCenter, _ => source.DefaultProduct };
        var parsed = BitbucketEventParser.Parse(body, delivery.Event, product, target.ServerUrl);
        if (!parsed.Succeeded)
        {
            return (null, new(StatusCodes.Status400BadRequest, "Bad request", parsed.Error));
        }

        delivery.RepositoryKey = Truncate(parsed.Event.Repository?.Key, 500);
        return (parsed.Event, null);
    }

    /// <summary>
    /// Dedupe and record steps, one round trip: the row is committed (202, its lifecycle started), or it repeats a
    /// delivery already recorded, by id or by body (200 duplicate, itself recorded as such), or storage failed (503).
    /// </summary>
    private async Task<(IngressResponse Response, bool Routed)> RecordAsync(
        IngressTarget target, BitbucketEvent bitbucketEvent, Delivery delivery, long started, CancellationToken cancellationToken)
    {
        var acted = bitbucketEvent.Kind is BitbucketEventKind.Push or BitbucketEventKind.MirrorSynchronized or BitbucketEventKind.PullRequest;
        var routed = target.FollowUp == IngressFollowUp.RouteAndLinkWhenEnabled && DeliveryRouter.Routes(bitbucketEvent.Kind);
        delivery.DedupeKey = DeliveryLifecycle.DedupeKey(target.Scope, delivery.RequestId, delivery.BodySha256!);
        // The warehouse count is unknown until routing; the dispatch records it with the delivery's progress.
        var answer = new IngressAnswer(delivery.Id, delivery.Event, acted ? "accepted" : "ignored", acted && !routed ? 0 : null);
        var (response, recorded) = await CommitAsync(new NewDelivery(delivery, DeliveryLifecycle.Start(acted, routed), target.Scope), started,
            acted ? DeliveryOutcome.Accepted : DeliveryOutcome.Ignored, StatusCodes.Status202Accepted, answer, cancellationToken);
        if (recorded?.Outcome == RecordOutcome.Duplicate)
        {
            var original = recorded.Value.Original ?? await OwnerAsync(delivery.DedupeKey, cancellationToken) ?? Guid.Empty;
            return (await DuplicateAsync(delivery, started, original, cancellationToken), false);
        }

        if (recorded is null)
        {
            return (response, false);
        }

        // Linking commits to ALM issues happens in the background, after the commit, never delaying the answer.
        commitLinks.Enqueue(delivery.Id, target.ProjectId, always: target.FollowUp == IngressFollowUp.LinkOnly, bitbucketEvent);
        return (response, routed);
    }

    /// <summary>
    /// Route and answer steps: one grain call, bounded, that only counts the matching warehouses from the repository
    /// grain's cached subscriptions; asking them and marking the delivery dispatched happen after the answer, batched.
    /// The row is committed, so whatever happens here the answer stays 202; a delivery whose dispatch is lost (a crash,
    /// a timeout) stays accepted and the sweeper dispatches it (its answer then has no warehouse count).
    /// </summary>
    private async Task<IngressResponse> RouteAsync(Delivery delivery, BitbucketEvent bitbucketEvent, IngressResponse accepted)
    {
        var warehouses = await router.TryAcceptAsync(delivery.Id, bitbucketEvent, CancellationToken.None);
        return IngressResponse.Success(StatusCodes.Status202Accepted, (IngressAnswer)accepted.Body with { Warehouses = warehouses });
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

    private async Task<Guid?> OwnerAsync(string dedupeKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await DeliveryLifecycle.OwnerAsync(db, dedupeKey, cancellationToken);
    }

    private async Task<IngressResponse> DuplicateAsync(Delivery delivery, long started, Guid original, CancellationToken cancellationToken)
    {
        // The repeat's own history row: a new id, owning no dedupe key and starting no lifecycle.
        delivery.Id = Guid.CreateVersion7();
        delivery.DedupeKey = null;
        delivery.Reason = $"Repeats delivery {original}.";
        var (response, _) = await CommitAsync(new NewDelivery(delivery, State: null, Scope: null), started, DeliveryOutcome.Duplicate,
            StatusCodes.Status200OK, new IngressAnswer(original, null, "duplicate", null), cancellationToken);
        return response;
    }

    /// <summary>
    /// Commits the row and only then answers 2xx; 503 when the database cannot commit in time (Bitbucket Cloud
    /// retries 5xx). <c>Recorded</c> is null when nothing was committed.
    /// </summary>
    private async Task<(IngressResponse Response, Recorded? Recorded)> CommitAsync(
        NewDelivery row, long started, DeliveryOutcome outcome, int statusCode, IngressAnswer answer, CancellationToken cancellationToken)
    {
        var delivery = row.Row;
        var response = IngressResponse.Success(statusCode, answer);
        delivery.Outcome = outcome;
        delivery.StatusCode = statusCode;
        delivery.Answer = response.Json;
        delivery.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.CommitTimeout);
            return (response, await recorder.RecordAsync(row, timeout.Token));
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            LogCommitFailed(delivery.Id, exception.Message);
            return (IngressResponse.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The delivery could not be stored; it was not accepted. Retry later.", delivery.Id), null);
        }
    }

    private IngressResponse Reject(Delivery delivery, long started, Refusal refusal)
    {
        // Parse errors quote the payload: a NUL (PostgreSQL text and jsonb refuse it) or a 5 000-character name would
        // make the row impossible to insert, and lose it together with the rest of its group commit.
        var detail = Printable(refusal.Detail, MaxReasonLength);
        var response = IngressResponse.Problem(refusal.StatusCode, refusal.Title, detail, delivery.Id);
        delivery.Outcome = DeliveryOutcome.Rejected;
        delivery.StatusCode = refusal.StatusCode;
        delivery.Reason = detail;
        delivery.Answer = response.Json;
        delivery.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        recorder.RecordInBackground(delivery);
        return response;
    }

    /// <summary>Why a step refused the request: the problem details' status, title and detail.</summary>
    private sealed record Refusal(int StatusCode, string Title, string Detail);

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
