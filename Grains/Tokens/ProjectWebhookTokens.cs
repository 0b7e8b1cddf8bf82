namespace Webhooks.Grains.Tokens;

/// <summary>A project and the webhook tokens that may sign deliveries to its ARM-style endpoints.</summary>
public sealed record ProjectWebhookTokens(Guid ProjectId, string ProjectName, IReadOnlyList<WebhookSigningKey> Tokens);

/// <summary>
/// A webhook token as an HMAC key: its stored SHA-256 hash, which keys HMAC-SHA256 exactly as the token itself does
/// (see <see cref="ApiTokenSecret.SigningKey"/>).
/// </summary>
public sealed record WebhookSigningKey(Guid TokenId, byte[] Key, DateTimeOffset? ExpiresAt)
{
    public bool IsUsableAt(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}
