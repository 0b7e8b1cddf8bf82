namespace Webhooks.Dashboard.Deliveries;

/// <summary>How far back the Deliveries page looks; its URL name (<c>?range=1h</c>) and how long that is.</summary>
public sealed record DeliveryTimeRange(string Name, string Label, TimeSpan? Length)
{
    public static readonly DeliveryTimeRange Any = new("all", "Any time", null);

    public static readonly IReadOnlyList<DeliveryTimeRange> All =
    [
        new("15m", "Last 15 minutes", TimeSpan.FromMinutes(15)),
        new("1h", "Last hour", TimeSpan.FromHours(1)),
        new("24h", "Last 24 hours", TimeSpan.FromHours(24)),
        new("7d", "Last 7 days", TimeSpan.FromDays(7)),
        Any,
    ];

    /// <summary>The range named <paramref name="name"/>, or "any time" for a missing or unknown name.</summary>
    public static DeliveryTimeRange Parse(string? name) =>
        All.FirstOrDefault(range => string.Equals(range.Name, name, StringComparison.OrdinalIgnoreCase)) ?? Any;
}
