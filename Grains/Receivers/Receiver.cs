using Webhooks.Grains.Projects;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// A Bitbucket webhook endpoint of a project. <see cref="Path"/> is the unguessable part of its URL and never
/// changes; the secrets are stored encrypted (Data Protection) because verifying HMAC needs them in plain text.
/// </summary>
public sealed class Receiver
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid ProjectId { get; set; }

    public Project? Project { get; set; }

    public required string Name { get; set; }

    /// <summary>Random 256-bit URL-safe token: <c>/webhooks/bitbucket/{Path}</c>.</summary>
    public required string Path { get; set; }

    /// <summary>The current secret, encrypted; null when the receiver accepts unsigned events.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>The secret before the last rotation, encrypted; verifies until <see cref="PreviousSecretValidUntil"/>.</summary>
    public string? ProtectedPreviousSecret { get; set; }

    public DateTimeOffset? PreviousSecretValidUntil { get; set; }

    /// <summary>When the secret was last rotated; null when never.</summary>
    public DateTimeOffset? SecretRotatedAt { get; set; }

    /// <summary>Base URL of a Bitbucket Data Center server, for payloads without <c>repository.links</c>.</summary>
    public string? ServerUrl { get; set; }

    /// <summary>
    /// Networks (CIDR, normalised) deliveries may come from; empty: any address. Checked before the signature, so a
    /// leaked secret is useless from elsewhere.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>What the receiver is for, as its owners describe it; null when not given.</summary>
    public string? Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
