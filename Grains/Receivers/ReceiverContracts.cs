namespace Webhooks.Grains.Receivers;

/// <summary>
/// A receiver to create. Without a secret one is generated; <see cref="ServerUrl"/> is the Bitbucket Data Center base
/// URL, used for old payloads that carry no repository links; <see cref="AllowedNetworks"/> (CIDR blocks or addresses)
/// limits where deliveries may come from.
/// </summary>
public sealed record CreateReceiverRequest(
    string? Name, string? Secret, string? ServerUrl, IReadOnlyList<string>? AllowedNetworks = null, string? Description = null);

/// <summary>
/// An edit of a receiver that keeps its URL and secret (Bitbucket keeps working): each field left out (or null) stays
/// as it is; <c>""</c> clears <see cref="ServerUrl"/> or <see cref="Description"/>; an empty
/// <see cref="AllowedNetworks"/> allows any address.
/// </summary>
public sealed record UpdateReceiverRequest(string? ServerUrl, IReadOnlyList<string>? AllowedNetworks, string? Description);

/// <summary>The whole new list of networks a receiver takes deliveries from; empty: any address.</summary>
public sealed record AllowedNetworksRequest(IReadOnlyList<string>? AllowedNetworks);

/// <summary>The answer to a create: the only answer besides webhook-data that shows the secret.</summary>
public sealed record CreatedReceiver(
    string Name, string Url, string Secret, string? ServerUrl, IReadOnlyList<string> AllowedNetworks, DateTimeOffset CreatedAt, string? Description = null);

/// <summary>A receiver as listed: never its secret.</summary>
public sealed record ReceiverView(
    string Name,
    string Url,
    string? ServerUrl,
    bool HasSecret,
    DateTimeOffset? SecretRotatedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastDeliveryAt,
    IReadOnlyList<string> AllowedNetworks,
    string? Description = null,
    DateTimeOffset? UpdatedAt = null);

/// <summary>A new secret (generated when absent) and how long the current one keeps verifying (default 24 h).</summary>
public sealed record RotateSecretRequest(string? Secret, string? GracePeriod);

public sealed record RotatedSecret(string Secret, DateTimeOffset PreviousValidUntil);
