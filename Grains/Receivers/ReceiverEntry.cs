using System.ComponentModel;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// What ingress needs to know about a receiver. Secrets stay encrypted here because this is what the cache (and so
/// Redis) holds; they are decrypted only in memory, when a signature is checked. <see cref="AllowedNetworks"/> is null
/// in entries cached before it existed: treat it as empty. Immutable, so HybridCache hands out its one instance from
/// memory instead of deserialising a copy on every delivery.
/// </summary>
[ImmutableObject(true)]
public sealed record ReceiverEntry(
    Guid Id,
    Guid ProjectId,
    string ProjectName,
    string Name,
    string? ProtectedSecret,
    string? ProtectedPreviousSecret,
    DateTimeOffset? PreviousSecretValidUntil,
    string? ServerUrl,
    IReadOnlyList<string>? AllowedNetworks);
