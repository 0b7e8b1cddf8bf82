namespace Webhooks.Grains.Deliveries;

/// <summary>
/// Which deliveries to list. Project and receiver are names (a receiver name without a project matches that name in every
/// project); null means "any". <see cref="Since"/> keeps rows received at or after it. <see cref="RequestId"/> is
/// Bitbucket's own delivery id (<c>X-Request-UUID</c> or <c>X-Request-Id</c>), matched whole;
/// <see cref="Repository"/> matches any part of the canonical repository key (<c>bitbucket.org/acme/api</c>).
/// </summary>
public sealed record DeliveryFilter(
    string? Project = null,
    string? Receiver = null,
    string? Event = null,
    DeliveryOutcome? Outcome = null,
    DateTimeOffset? Since = null,
    string? RequestId = null,
    string? Repository = null)
{
    public static readonly DeliveryFilter None = new();
}
