using Microsoft.EntityFrameworkCore;
using Webhooks.Dashboard.Components.Shared.Charts;
using Webhooks.Grains.Deliveries;
using Webhooks.Dashboard.Cluster;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Overview;

/// <summary>
/// Reads the Overview's numbers for the last hour: deliveries and refreshes per minute (grouped in PostgreSQL over the
/// receivedAt / startedAt indexes), the answer-time percentiles, and the latest rejections. One read serves every open
/// Overview for half a refresh interval, so ten open tabs do not mean ten times the queries.
/// </summary>
public sealed class OverviewStatistics(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    DeliveryHistory history,
    WarehouseHistory warehouses,
    NotificationHealth notifications,
    ReplicaHistory replicas,
    ILogger<OverviewStatistics> logger,
    Microsoft.Extensions.Options.IOptions<OverviewOptions> options,
    TimeProvider clock)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private OverviewSnapshot? _latest;

    public async Task<OverviewSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var fresh = options.Value.RefreshInterval / 2;
        if (_latest is { } cached && clock.GetUtcNow() - cached.ReadAt < fresh)
        {
            return cached;
        }

        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_latest is { } other && clock.GetUtcNow() - other.ReadAt < fresh)
            {
                return other;
            }

            return _latest = await ReadNowAsync(cancellationToken);
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task<OverviewSnapshot> ReadNowAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // The chart's sixty one-minute bars, the current minute last: the totals are the chart's sums.
        var from = (TimeBuckets.Floor(now, TimeSpan.FromMinutes(1)) - Window + TimeSpan.FromMinutes(1)).UtcDateTime;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = await db.Database.SqlQuery<MinuteCount>($"""
            SELECT date_trunc('minute', "ReceivedAt") AS "Minute", "Outcome" AS "Series", count(*) AS "Count"
            FROM deliveries WHERE "ReceivedAt" >= {from}
            GROUP BY 1, 2
            """).ToListAsync(cancellationToken);
        var refreshes = await db.Database.SqlQuery<MinuteCount>($"""
            SELECT date_trunc('minute', "StartedAt") AS "Minute", "Status" AS "Series", count(*) AS "Count"
            FROM refreshes WHERE "StartedAt" >= {from}
            GROUP BY 1, 2
            """).ToListAsync(cancellationToken);
        var latency = (await db.Database.SqlQuery<LatencyRow>($"""
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "DurationMs") AS "P50",
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY "DurationMs") AS "P99",
                   count(*) AS "Samples"
            FROM deliveries WHERE "ReceivedAt" >= {from} AND "Outcome" = 'Accepted'
            """).ToListAsync(cancellationToken)).Single();
        var anyEver = deliveries.Count > 0 || await db.Deliveries.AnyAsync(cancellationToken);

        var failures = await history.ListAsync(
            new DeliveryFilter(Outcome: DeliveryOutcome.Rejected), before: null, options.Value.LatestFailures, cancellationToken);

        var attention = await ReadAttentionAsync(now, cancellationToken);

        return new OverviewSnapshot(
            now,
            [.. deliveries.Select(row => row.ToPoint())],
            [.. refreshes.Select(row => row.ToPoint())],
            new AnswerLatency(latency.P50, latency.P99, latency.Samples),
            failures.Items,
            anyEver,
            attention);
    }

    private async Task<OverviewAttention> ReadAttentionAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var targets = await notifications.ListFailingAsync(project: null, cancellationToken);
        var troubled = await warehouses.ListTroubledAsync(options.Value.PendingRequestThreshold, now, cancellationToken);
        var rejections = await history.CountRejectionReasonsAsync(now - Window, options.Value.RejectionReasons, cancellationToken);
        try
        {
            var recent = await replicas.ListRecentAsync(now - Window, cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return new OverviewAttention(targets, troubled, recent, rejections);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The database's figures still stand; the cluster's silence is itself worth a look.
            logger.LogWarning(e, "Reading the cluster's membership for the Overview failed");
            return new OverviewAttention(targets, troubled, [], rejections, "The Orleans cluster did not answer: the replicas' state is unknown.");
        }
    }

    /// <summary>A row of the per-minute queries; the series is the stored enum name (<c>Accepted</c>, <c>Succeeded</c>…).</summary>
    internal sealed class MinuteCount
    {
        public DateTime Minute { get; set; }

        public string Series { get; set; } = string.Empty;

        public long Count { get; set; }

        public ChartPoint ToPoint() => new(new DateTimeOffset(DateTime.SpecifyKind(Minute, DateTimeKind.Utc)), Series, Count);
    }

    internal sealed class LatencyRow
    {
        public double? P50 { get; set; }

        public double? P99 { get; set; }

        public long Samples { get; set; }
    }
}
