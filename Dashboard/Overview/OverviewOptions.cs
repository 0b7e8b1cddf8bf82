using System.ComponentModel.DataAnnotations;

namespace Webhooks.Dashboard.Overview;

/// <summary>How the Overview page follows the stack (section <c>Dashboard:Overview</c>).</summary>
public sealed class OverviewOptions
{
    public const string SectionName = "Dashboard:Overview";

    /// <summary>How often an open Overview reads the statistics again. Open pages share one read per interval.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many of the latest rejections the page lists.</summary>
    [Range(1, 100)]
    public int LatestFailures { get; set; } = 10;

    /// <summary>A warehouse whose oldest pending refresh request is older than this needs attention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PendingRequestThreshold { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many rejection reasons of the last hour the page lists (the most frequent).</summary>
    [Range(1, 100)]
    public int RejectionReasons { get; set; } = 10;
}
