using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Warehouses;

/// <summary>A warehouse definition as the editor holds it; <see cref="ToRequest"/> is what the shared validator checks.</summary>
public sealed class WarehouseForm
{
    public string? Name { get; set; }

    public List<SubscriptionForm> Subscriptions { get; set; } = [new()];

    public string? NotifyUrl { get; set; }

    public string? NotifySecret { get; set; }

    /// <summary>The stored notify target had a secret: it never comes back out, so saving without one removes it.</summary>
    public bool HadNotifySecret { get; init; }

    /// <summary>How often git-mode subscriptions are listed (<c>PT5M</c>, <c>00:05:00</c>); blank for the default.</summary>
    public string? Interval { get; set; }

    public WarehouseRequest ToRequest() => new(
        Name?.Trim(),
        Subscriptions.Select(s => s.ToRequest()).ToList(),
        string.IsNullOrWhiteSpace(NotifyUrl) ? null : new NotifyRequest(NotifyUrl.Trim(), string.IsNullOrEmpty(NotifySecret) ? null : NotifySecret),
        string.IsNullOrWhiteSpace(Interval) ? null : Interval.Trim());

    public static WarehouseForm From(WarehouseView view) => new()
    {
        Name = view.Name,
        Subscriptions = view.Subscriptions.Select(SubscriptionForm.From).ToList(),
        NotifyUrl = view.Notify?.Url,
        HadNotifySecret = view.Notify?.HasSecret ?? false,
        Interval = view.Interval,
    };
}
