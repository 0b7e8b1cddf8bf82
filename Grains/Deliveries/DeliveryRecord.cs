using System.Text.Json;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Refresh;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// One delivery with what it carried and what became of it: headers with credentials redacted, the body as JSON (or
/// its text), the answer ingress gave, timings, the refreshes it caused, and how it relates to redeliveries: the
/// original it replays (and the admin token that asked) or the replays made of it, oldest first.
/// </summary>
public sealed record DeliveryRecord(
    Guid Id,
    DateTimeOffset ReceivedAt,
    string? Project,
    string? Receiver,
    string? Token,
    string Source,
    string? Event,
    string? RequestId,
    int? AttemptNumber,
    DeliveryOutcome Outcome,
    int StatusCode,
    string? Reason,
    string? RepositoryKey,
    DeliveryState? State,
    double DurationMs,
    string? RemoteAddress,
    IReadOnlyDictionary<string, string> Headers,
    int BodySize,
    string? BodySha256,
    JsonElement? Body,
    JsonElement? Answer,
    DateTimeOffset? DispatchedAt,
    DateTimeOffset? ProcessedAt,
    IReadOnlyList<DeliveryRefreshRecord> Refreshes,
    Guid? RedeliveryOf,
    Guid? RedeliveredBy,
    string? RedeliveredByName,
    IReadOnlyList<Guid> Redeliveries,
    string? RedeliveryRefusal)
{
    /// <summary>Whether <see cref="Redelivery"/> would replay it; <see cref="RedeliveryRefusal"/> says why not.</summary>
    public bool CanRedeliver => RedeliveryRefusal is null;
}

/// <summary>A warehouse a delivery asked to refresh, what became of the request, and the refresh that handled it.</summary>
public sealed record DeliveryRefreshRecord(
    string? Project,
    string Warehouse,
    Guid RequestId,
    RefreshReason Reason,
    DateTimeOffset RequestedAt,
    RefreshRequestOutcome? Outcome,
    DateTimeOffset? CompletedAt,
    RefreshRun? Refresh);
