using System.Security.Cryptography;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;
using Webhooks.Grains.Receivers;

namespace Webhooks.Receiver.Ingress;

/// <summary>The steps that may refuse a delivery before it is recorded: body, receiver, signature, event.</summary>
internal sealed partial class BitbucketIngress
{
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

    /// <summary>The target, within the storage budget: a lookup that reaches PostgreSQL may be retried by EF Core.</summary>
    private async Task<IngressResolution> ResolveAsync(IngressSource source, HttpRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.CommitTimeout);
        return await source.ResolveAsync(request, deadline.Token);
    }

    private static string SignatureReason(SignatureVerdict verdict) => verdict switch
    {
        SignatureVerdict.UnsupportedAlgorithm => "The X-Hub-Signature header must use sha256.",
        SignatureVerdict.Malformed => "The X-Hub-Signature header is not of the form sha256=<64 hex digits>.",
        SignatureVerdict.Repeated => "The X-Hub-Signature header must appear only once.",
        _ => "The signature does not match the body.",
    };
}
