using System.Text.Json;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Receiver.Management.Contracts;

/// <summary>A page of the history, newest first; <see cref="Next"/> is the <c>before</c> of the following page.</summary>
internal sealed record DeliveryPage(IReadOnlyList<DeliverySummary> Items, string? Next);

internal sealed record DeliverySummary(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string? Project,
    string? Receiver,
    string Source,
    string? Event,
    string? RequestId,
    string Outcome,
    int StatusCode,
    string? Reason,
    string? RepositoryKey,
    string? State,
    double DurationMs,
    Guid? RedeliveryOf);

/// <summary>
/// One delivery with what it carried: the body as JSON when it is JSON (else as text), the answer ingress gave,
/// and the refreshes it caused. A redelivery names the delivery it replays and who asked; every delivery lists its
/// redeliveries, oldest first.
/// </summary>
internal sealed record DeliveryDetail(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string? Project,
    string? Receiver,
    string Source,
    string? Event,
    string? RequestId,
    int? AttemptNumber,
    string Outcome,
    int StatusCode,
    string? Reason,
    string? RepositoryKey,
    string? State,
    double DurationMs,
    string? RemoteAddress,
    IReadOnlyDictionary<string, string> Headers,
    int BodySize,
    string? BodySha256,
    JsonElement? Body,
    JsonElement? Answer,
    DeliveryTimings Timings,
    IReadOnlyList<DeliveryRefresh> Refreshes,
    Guid? RedeliveryOf,
    RedeliveredBy? RedeliveredBy,
    IReadOnlyList<Guid> Redeliveries);

/// <summary>The admin token that asked for a redelivery (its name as it is now; null when the token is gone).</summary>
internal sealed record RedeliveredBy(Guid TokenId, string? TokenName);

/// <summary>A warehouse a delivery asked to refresh, what became of the request, and the refresh that handled it.</summary>
internal sealed record DeliveryRefresh(
    string? Project,
    string Warehouse,
    Guid RequestId,
    string Reason,
    DateTimeOffset RequestedAt,
    string? Outcome,
    DateTimeOffset? CompletedAt,
    RefreshView? Refresh);

internal sealed record DeliveryTimings(DateTimeOffset ReceivedAt, double DurationMs, DateTimeOffset? DispatchedAt, DateTimeOffset? ProcessedAt);
