using System.ComponentModel.DataAnnotations;

namespace Webhooks.Grains.Refresh;

/// <summary>The refresh engine's timings (<c>Webhooks:Refresh</c>).</summary>
public sealed class RefreshOptions
{
    public const string SectionName = "Webhooks:Refresh";

    /// <summary>How often each replica looks for stranded work: pending refresh requests, undispatched deliveries, due git polls.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A pending request older than this with no refresh running is resumed by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PendingGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A delivery left accepted (never dispatched) for longer than this is dispatched by the sweeper.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan AcceptedGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long ingress waits for the repository grain to count the matching warehouses before answering anyway (the
    /// sweeper then dispatches); the sweeper and redeliveries wait this long for the dispatch itself.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan RouteTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How many database operations the refresh engine's grains run at once per silo (refresh passes, which hold two
    /// connections each, intake and dispatch batches). Keep it well under the connection pool's size (Npgsql: 100), so
    /// that ingress always finds a connection for its commit.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentDatabaseWork { get; set; } = 4;

    /// <summary>
    /// The least time between the starts of two refreshes of one warehouse. A lone push refreshes at once; a burst's
    /// requests wait for the next pass and are taken by it together, so a thousand pushes within a second make two or
    /// three refreshes rather than one per round trip. Zero refreshes back to back.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinimumRefreshSpacing { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the silo's dispatch and refresh-pass batches wait for more work once they have some, before they are
    /// written (after ingress has answered, so no answer waits for it): fewer, larger batches are fewer round trips and
    /// commits. A push becomes Freight up to twice this much later. Zero writes at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan BatchLinger { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The git-mode listing interval of a warehouse that sets none.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The shortest interval a warehouse may ask for (listing is a network call to Bitbucket).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a refresh throws (database refusing, discovery failing unexpectedly), the warehouse waits this long before
    /// trying again, doubling with each consecutive failure up to <see cref="RetryMaxDelay"/>; a success resets it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts of a warehouse whose refresh keeps throwing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);
}
