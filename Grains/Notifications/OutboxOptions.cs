using System.ComponentModel.DataAnnotations;

namespace Webhooks.Grains.Notifications;

/// <summary>How the notification outbox is drained (<c>Webhooks:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Webhooks:Outbox";

    /// <summary>How often a replica looks for due entries when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a claim holds an entry; longer than one round of the notifier's retries, or a slow round is delivered twice.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Entries delivered at once per replica: a dead target holds one slot, never the others.</summary>
    [Range(1, 1000)]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Rounds (each the notifier's own retries) before an entry is given up as failed.</summary>
    [Range(1, 100)]
    public int MaxRounds { get; set; } = 5;

    /// <summary>The wait before the second round; it doubles each round.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RoundBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// While a target keeps failing, how often a replica logs one summary of it (failed attempts, Freight waiting); the
    /// change of state itself (failing, recovered) is logged once when it happens.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureSummaryInterval { get; set; } = TimeSpan.FromMinutes(5);
}
