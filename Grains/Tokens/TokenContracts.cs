namespace Webhooks.Grains.Tokens;

/// <summary>
/// A token to create. <see cref="Type"/> is <c>webhook</c> (needs <see cref="Project"/>: it authorises only that
/// project's ARM-style endpoints) or <c>admin</c> (no project: the management API).
/// </summary>
public sealed record CreateTokenRequest(string? Name, string? Type, string? Description, string? Project, DateTimeOffset? ExpiresAt);

/// <summary>The answer to a create: the only time the token itself is shown.</summary>
public sealed record CreatedToken(Guid Id, string Name, string Type, string Prefix, string? Project, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string Token);

/// <summary>A token as listed: never the token, only its visible prefix.</summary>
public sealed record TokenView(
    Guid Id,
    string Name,
    string Type,
    string? Description,
    string Prefix,
    string? Project,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    bool Active);
