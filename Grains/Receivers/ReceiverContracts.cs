namespace Webhooks.Grains.Receivers;

/// <summary>
/// A receiver to create. Without a secret one is generated; <see cref="ServerUrl"/> is the Bitbucket Data Center base
/// URL, used for old payloads that carry no repository links.
/// </summary>
public sealed record CreateReceiverRequest(string? Name, string? Secret, string? ServerUrl);

/// <summary>The answer to a create: the only answer besides webhook-data that shows the secret.</summary>
public sealed record CreatedReceiver(string Name, string Url, string Secret, string? ServerUrl, DateTimeOffset CreatedAt);

/// <summary>A receiver as listed: never its secret.</summary>
public sealed record ReceiverView(
    string Name,
    string Url,
    string? ServerUrl,
    bool HasSecret,
    DateTimeOffset? SecretRotatedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastDeliveryAt);

/// <summary>A new secret (generated when absent) and how long the current one keeps verifying (default 24 h).</summary>
public sealed record RotateSecretRequest(string? Secret, string? GracePeriod);

public sealed record RotatedSecret(string Secret, DateTimeOffset PreviousValidUntil);
