namespace Webhooks.Grains.Abstractions;

/// <summary>
/// A head a push says a subscribed ref now has: what payload discovery turns into Freight, and what lets a warehouse
/// recognise a request for a head it already has.
/// </summary>
/// <param name="Ref">Full ref name: <c>refs/heads/main</c>, <c>refs/tags/v1.0</c>.</param>
[GenerateSerializer, Immutable, Alias("Webhooks.RequestedHead")]
public sealed record RequestedHead(
    [property: Id(0)] Guid SubscriptionId,
    [property: Id(1)] string RepositoryKey,
    [property: Id(2)] string Ref,
    [property: Id(3)] string Commit,
    [property: Id(4)] string? Message,
    [property: Id(5)] string? Author);
