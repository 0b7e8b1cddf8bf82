using System.Text.Json.Serialization;

namespace Webhooks.Grains.Warehouses;

/// <summary>
/// A warehouse to create or (with PUT) the whole new definition of one. <see cref="Interval"/> is how often git-mode
/// subscriptions are listed (ISO 8601 <c>PT5M</c> or <c>00:05:00</c>; default 5 minutes). Git-mode subscriptions are
/// listed once before they are saved (a repository git cannot list is refused with git's message) unless
/// <see cref="Verify"/> is false.
/// </summary>
/// <remarks>
/// Secrets never come out, so an edit cannot be expected to repeat them: on PUT, a notify secret or credentials left
/// out (or null) are kept (the credentials of the subscription with the same <c>repoUrl</c>); <c>clearSecret</c> and
/// <c>clearCredentials</c> remove them; a value given replaces them.
/// </remarks>
public sealed record WarehouseRequest(
    string? Name, IReadOnlyList<SubscriptionRequest>? Subscriptions, NotifyRequest? Notify, string? Interval, bool? Verify = null);

/// <summary>
/// One followed repository. <see cref="Branch"/> and <see cref="Tag"/> are globs (<c>*</c>, <c>**</c>, <c>?</c>); with
/// neither, the default branch. <see cref="Discovery"/>: <c>payload</c> (default) or <c>git</c>.
/// </summary>
public sealed record SubscriptionRequest(
    string? RepoUrl, string? Branch, string? Tag, string? Discovery, CredentialsRequest? Credentials, bool? ClearCredentials = null);

/// <summary>User name and password (or access token) for https, or an OpenSSH private key for ssh.</summary>
public sealed record CredentialsRequest(string? Username, string? Password, string? SshPrivateKey);

/// <summary>
/// Where Freight events go. <see cref="Secret"/>: <c>whsec_…</c> (Standard Webhooks) or a plain secret of 16 characters
/// or more; generated when a warehouse is created without one, kept when a PUT leaves it out, removed with
/// <see cref="ClearSecret"/>. <see cref="LegacyHubSignature"/> (deprecated) also sends <c>X-Hub-Signature</c>; left
/// out, it is off for a new warehouse and unchanged by a PUT.
/// </summary>
public sealed record NotifyRequest(string? Url, string? Secret, bool? LegacyHubSignature = null, bool? ClearSecret = null);

/// <summary>
/// A warehouse as shown: never its notify secret or git credentials. <see cref="State"/> is <c>idle</c>,
/// <c>refreshing</c> or <c>pending</c> (requests wait for a refresh).
/// </summary>
public sealed record WarehouseView(
    Guid Id,
    string Name,
    string State,
    IReadOnlyList<SubscriptionView> Subscriptions,
    NotifyView? Notify,
    string Interval,
    FreightView? LatestFreight,
    RefreshView? LastRefresh,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record SubscriptionView(string RepoUrl, string RepositoryKey, string? Branch, string? Tag, string Discovery, bool HasCredentials);

/// <summary>
/// A notify target as shown. <see cref="Secret"/> is there only in the answer to the create that generated it; a
/// rotated-out secret still signs until <see cref="PreviousSecretValidUntil"/>.
/// </summary>
public sealed record NotifyView(
    string Url,
    bool HasSecret,
    bool LegacyHubSignature = false,
    DateTimeOffset? SecretRotatedAt = null,
    DateTimeOffset? PreviousSecretValidUntil = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret = null);

public sealed record FreightView(
    Guid Id,
    string RepositoryKey,
    string RepositoryUrl,
    string Ref,
    string Commit,
    string? Message,
    string? Author,
    DateTimeOffset DiscoveredAt,
    IReadOnlyList<Guid> DeliveryIds,
    string? Notification);

/// <summary>One refresh: how many requests it took (<see cref="Coalesced"/> of them merged beyond the first) and what it found.</summary>
public sealed record RefreshView(
    Guid Id,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Status,
    int Requests,
    int Coalesced,
    int NewFreight,
    string? Error);

/// <summary>One refresh request: why, which delivery, and what became of it (refreshed, coalesced, deduplicated; null while pending).</summary>
public sealed record RefreshRequestView(
    Guid Id,
    string Reason,
    Guid? DeliveryId,
    DateTimeOffset RequestedAt,
    string? Outcome,
    Guid? RefreshId,
    DateTimeOffset? CompletedAt);

public sealed record RefreshRequested(Guid RequestId, string State);

/// <summary>
/// One HTTP attempt to post a warehouse's Freight downstream, as the warehouse's list of attempts shows it (a Freight's
/// own attempts are in <see cref="FreightNotificationView"/>): the status code, or the error when there was none.
/// </summary>
public sealed record WarehouseNotificationAttempt(
    Guid Id,
    Guid FreightId,
    int Round,
    int Attempt,
    DateTimeOffset StartedAt,
    double DurationMs,
    int? StatusCode,
    string? Error,
    bool Succeeded);
