namespace Webhooks.Grains.Notifications;

/// <summary>Where a warehouse's Freight events go, and the secret they are signed with (<c>X-Hub-Signature</c>).</summary>
public sealed record NotifyTarget(string Url, string? Secret);
