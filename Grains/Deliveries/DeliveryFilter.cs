namespace Webhooks.Grains.Deliveries;

/// <summary>
/// Which deliveries to list. Project and receiver are names (a receiver name without a project matches that name in every
/// project); null means "any". <see cref="Since"/> keeps rows received at or after it.
/// </summary>
public sealed record DeliveryFilter(
    string? Project = null,
    string? Receiver = null,
    string? Event = null,
    DeliveryOutcome? Outcome = null,
    DateTimeOffset? Since = null)
{
    public static readonly DeliveryFilter None = new();
}
