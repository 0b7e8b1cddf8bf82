using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Warehouses;

/// <summary>A warehouse definition as the editor holds it; <see cref="ToRequest"/> is what the shared validator checks.</summary>
public sealed class WarehouseForm
{
    public string? Name { get; set; }

    public List<SubscriptionForm> Subscriptions { get; set; } = [new()];

    public string? NotifyUrl { get; set; }

    public string? NotifySecret { get; set; }

    /// <summary>The stored notify target has a secret: it never comes back out, and saving without one keeps it.</summary>
    public bool HadNotifySecret { get; init; }

    /// <summary>Deprecated: also send <c>X-Hub-Signature</c> (on for warehouses from before Standard Webhooks).</summary>
    public bool LegacyHubSignature { get; set; }

    /// <summary>How often git-mode subscriptions are listed (<c>PT5M</c>, <c>00:05:00</c>); blank for the default.</summary>
    public string? Interval { get; set; }

    public WarehouseRequest ToRequest() => new(
        Name?.Trim(),
        Subscriptions.Select(s => s.ToRequest()).ToList(),
        string.IsNullOrWhiteSpace(NotifyUrl)
            ? null
            : new NotifyRequest(NotifyUrl.Trim(), string.IsNullOrEmpty(NotifySecret) ? null : NotifySecret, LegacyHubSignature),
        string.IsNullOrWhiteSpace(Interval) ? null : Interval.Trim());

    public static WarehouseForm From(WarehouseView view) => new()
    {
        Name = view.Name,
        Subscriptions = view.Subscriptions.Select(SubscriptionForm.From).ToList(),
        NotifyUrl = view.Notify?.Url,
        HadNotifySecret = view.Notify?.HasSecret ?? false,
        LegacyHubSignature = view.Notify?.LegacyHubSignature ?? false,
        Interval = view.Interval,
    };
}
