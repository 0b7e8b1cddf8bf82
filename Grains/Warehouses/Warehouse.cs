using Webhooks.Grains.Projects;

namespace Webhooks.Grains.Warehouses;

/// <summary>
/// A project's subscriber to repositories: it discovers new heads of the refs it follows and turns each into Freight,
/// posted to <see cref="NotifyUrl"/> when set. Refreshed by its <c>WarehouseGrain</c>, one refresh at a time.
/// </summary>
public sealed class Warehouse
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid ProjectId { get; set; }

    public Project? Project { get; set; }

    public required string Name { get; set; }

    public List<Subscription> Subscriptions { get; set; } = [];

    /// <summary>Where new Freight is posted (signed JSON); null when nobody downstream listens.</summary>
    public string? NotifyUrl { get; set; }

    /// <summary>The secret Freight events are signed with, encrypted (Data Protection).</summary>
    public string? ProtectedNotifySecret { get; set; }

    /// <summary>The notify secret before the last rotation, encrypted; it signs too until <see cref="PreviousNotifySecretValidUntil"/>.</summary>
    public string? ProtectedPreviousNotifySecret { get; set; }

    public DateTimeOffset? PreviousNotifySecretValidUntil { get; set; }

    /// <summary>When the notify secret was last rotated; null when never.</summary>
    public DateTimeOffset? NotifySecretRotatedAt { get; set; }

    /// <summary>
    /// Deprecated, for one release: also send <c>X-Hub-Signature</c> (the body's HMAC alone). On for warehouses created
    /// before notifications spoke Standard Webhooks, off for new ones.
    /// </summary>
    public bool LegacyHubSignature { get; set; }

    /// <summary>How often git-mode subscriptions are listed even when no event arrives.</summary>
    public TimeSpan Interval { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// When the last refresh of a warehouse with git-mode subscriptions finished: the git poller's clock. Not written for
    /// payload-only warehouses, which are never polled (their refreshes are in the runs).
    /// </summary>
    public DateTimeOffset? LastRefreshAt { get; set; }
}
