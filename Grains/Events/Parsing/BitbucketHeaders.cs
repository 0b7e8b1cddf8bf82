using Microsoft.AspNetCore.Http;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>Names of the headers Bitbucket sends, and which Bitbucket sent a request.</summary>
public static class BitbucketHeaders
{
    public const string EventKey = "X-Event-Key";
    public const string Signature = "X-Hub-Signature";

    /// <summary>Cloud: the delivery id (kept across retries, as far as anyone has observed).</summary>
    public const string RequestUuid = "X-Request-UUID";

    /// <summary>Cloud: the webhook subscription's id (same on every delivery of that webhook).</summary>
    public const string HookUuid = "X-Hook-UUID";

    /// <summary>Cloud: 1 on the first attempt.</summary>
    public const string AttemptNumber = "X-Attempt-Number";

    /// <summary>Data Center: the delivery id.</summary>
    public const string RequestId = "X-Request-Id";

    public const string CloudUserAgentPrefix = "Bitbucket-Webhooks/";

    /// <summary>Which Bitbucket sent the request, or null when nothing tells.</summary>
    public static BitbucketProduct? DetectProduct(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return DetectProduct(
            eventKey: Single(headers, EventKey),
            requestUuid: Single(headers, RequestUuid),
            hookUuid: Single(headers, HookUuid),
            attemptNumber: Single(headers, AttemptNumber),
            requestId: Single(headers, RequestId),
            userAgent: Single(headers, "User-Agent"));
    }

    /// <summary>
    /// Cloud's own headers win; then the event key (the two products share none); <c>X-Request-Id</c> comes last
    /// because reverse proxies such as ingress-nginx add it to every request, Cloud's included.
    /// </summary>
    public static BitbucketProduct? DetectProduct(
        string? eventKey, string? requestUuid, string? hookUuid, string? attemptNumber, string? requestId, string? userAgent)
    {
        if (!string.IsNullOrWhiteSpace(requestUuid) || !string.IsNullOrWhiteSpace(hookUuid) ||
            !string.IsNullOrWhiteSpace(attemptNumber) ||
            userAgent?.TrimStart().StartsWith(CloudUserAgentPrefix, StringComparison.OrdinalIgnoreCase) == true)
            return BitbucketProduct.Cloud;

        if (ProductOfEventKey(eventKey) is { } product)
            return product;

        return string.IsNullOrWhiteSpace(requestId) ? null : BitbucketProduct.DataCenter;
    }

    /// <summary>The product whose event key this is, or null when both could send it or it is unknown.</summary>
    public static BitbucketProduct? ProductOfEventKey(string? eventKey)
    {
        var key = eventKey?.Trim();
        if (string.IsNullOrEmpty(key))
            return null;

        if (key.StartsWith("pr:", StringComparison.Ordinal) || key.StartsWith("mirror:", StringComparison.Ordinal) ||
            key.StartsWith("repo:comment:", StringComparison.Ordinal) ||
            key is "repo:refs_changed" or "repo:modified" or "repo:forked" or "repo:secret_detected" or
                "diagnostics:ping" or "project:modified" or "proj:modified")
            return BitbucketProduct.DataCenter;

        if (key.StartsWith("pullrequest:", StringComparison.Ordinal) || key.StartsWith("issue:", StringComparison.Ordinal) ||
            key.StartsWith("pipeline:", StringComparison.Ordinal) || key.StartsWith("repo:commit_", StringComparison.Ordinal) ||
            key is "repo:push" or "repo:fork" or "repo:updated" or "repo:transfer" or "repo:created" or "repo:deleted" or
                "repo:imported" or "project:updated")
            return BitbucketProduct.Cloud;

        return null;
    }

    private static string? Single(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}
