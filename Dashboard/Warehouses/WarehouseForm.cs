using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Warehouses;

/// <summary>A warehouse definition as the editor holds it; <see cref="ToRequest"/> is what the shared validator checks.</summary>
public sealed class WarehouseForm
{
    public string? Name { get; set; }

    public List<SubscriptionForm> Subscriptions { get; set; } = [new()];

    public string? NotifyUrl { get; set; }

    public string? NotifySecret { get; set; }

    /// <summary>The stored notify target had a secret: it never comes back out; a blank secret keeps it.</summary>
    public bool HadNotifySecret { get; init; }

    /// <summary>Remove the stored notify secret: events are sent unsigned after saving.</summary>
    public bool ClearNotifySecret { get; set; }

    /// <summary>Deprecated: also send <c>X-Hub-Signature</c> (on for warehouses from before Standard Webhooks).</summary>
    public bool LegacyHubSignature { get; set; }

    /// <summary>List git-mode repositories once before saving, refusing those git cannot list.</summary>
    public bool Verify { get; set; } = true;

    /// <summary>How often git-mode subscriptions are listed (<c>PT5M</c>, <c>00:05:00</c>); blank for the default.</summary>
    public string? Interval { get; set; }

    public WarehouseRequest ToRequest() => new(
        Name?.Trim(),
        Subscriptions.Select(s => s.ToRequest()).ToList(),
        string.IsNullOrWhiteSpace(NotifyUrl)
            ? null
            : new NotifyRequest(
                NotifyUrl.Trim(),
                string.IsNullOrEmpty(NotifySecret) || ClearNotifySecret ? null : NotifySecret,
                LegacyHubSignature,
                ClearNotifySecret && HadNotifySecret ? true : null),
        string.IsNullOrWhiteSpace(Interval) ? null : Interval.Trim(),
        Verify ? null : false);

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
