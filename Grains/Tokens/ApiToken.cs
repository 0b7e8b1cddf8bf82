namespace Webhooks.Grains.Tokens;

/// <summary>An API token, kept only as a SHA-256 hash with a short visible prefix.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    public ApiTokenType Type { get; set; }

    public string? Description { get; set; }

    /// <summary>The project a webhook token belongs to; null for admin tokens.</summary>
    public Guid? ProjectId { get; set; }

    /// <summary>The first characters of the token, so people can tell tokens apart.</summary>
    public required string Prefix { get; set; }

    public required byte[] Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}
