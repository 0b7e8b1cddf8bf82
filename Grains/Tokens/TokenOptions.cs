using System.ComponentModel.DataAnnotations;

namespace Webhooks.Grains.Tokens;

/// <summary>The <c>Webhooks:Tokens</c> settings.</summary>
public sealed class TokenOptions
{
    public const string SectionName = "Webhooks:Tokens";

    /// <summary>How often the last-used times collected in memory are written to PostgreSQL.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(30);
}
