using System.ComponentModel.DataAnnotations;

namespace Webhooks.Grains.Retention;

/// <summary>How long the delivery history is kept (<c>Webhooks:Retention</c>).</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Webhooks:Retention";

    /// <summary>Deliveries received longer ago than this are pruned; 30 days by default.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan DeliveryWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each replica prunes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per statement: small enough that no statement holds locks ingress would notice.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 1_000;
}
