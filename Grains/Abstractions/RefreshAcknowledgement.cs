namespace Webhooks.Grains.Abstractions;

/// <summary>
/// A warehouse's answer to a refresh request, given once the request is durable. <see cref="Outcome"/> is null when
/// a refresh will handle it, <see cref="RefreshRequestOutcome.Deduplicated"/> when the warehouse already has every
/// head it announced, <see cref="RefreshRequestOutcome.Abandoned"/> when the warehouse no longer exists.
/// </summary>
[GenerateSerializer, Immutable, Alias("Webhooks.RefreshAcknowledgement")]
public sealed record RefreshAcknowledgement([property: Id(0)] Guid RequestId, [property: Id(1)] RefreshRequestOutcome? Outcome);
