using System.ComponentModel.DataAnnotations;

namespace Webhooks.Dashboard.Resources;

/// <summary>How the Resources page watches the stack (section <c>Dashboard:Resources</c>).</summary>
public sealed class ResourcesOptions
{
    public const string SectionName = "Dashboard:Resources";

    /// <summary>How often the page re-checks every resource.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a replica's <c>/health</c> may take before it counts as unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
