using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Ingress.Protection;
using Webhooks.Receiver.Ingress.Recording;
using Webhooks.Receiver.SmartCommits;

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
