using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Retention;

/// <summary>
/// Prunes the delivery history older than <see cref="RetentionOptions.DeliveryWindow"/>, in batches of
/// <see cref="RetentionOptions.BatchSize"/> rows, each its own short transaction on the <c>ReceivedAt</c> index, so
/// ingress's inserts never wait behind one long delete. A delivery whose work is unfinished (still accepted or
/// dispatched) is kept whatever its age: the sweepers still need it. Every replica runs this; a transaction-level
/// advisory lock lets one replica prune at a time and the others skip the tick.
/// </summary>
public sealed partial class DeliveryRetention(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IOptions<RetentionOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DeliveryRetention> logger) : PeriodicWork(lifetime, clock, logger)
{
    // "webhooks:retention" folded into a bigint; any constant no other lock in the product uses.
    private const long AdvisoryLockKey = 0x7765_6268_6F6F_6B72;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string Name => "Pruning the delivery history";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PruneAsync(cancellationToken);

    /// <summary>Deletes every prunable delivery, batch by batch; returns how many, or 0 when another replica is pruning.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = Clock.GetUtcNow() - options.Value.DeliveryWindow;
        var batchSize = options.Value.BatchSize;
        var total = 0;
        while (true)
        {
            var deleted = await PruneBatchAsync(cutoff, batchSize, cancellationToken);
            if (deleted is null)
            {
                return total;
            }

            total += deleted.Value;
            if (deleted < batchSize)
            {
                if (total > 0)
                {
                    LogPruned(Logger, total, cutoff);
                }

                return total;
            }
        }
    }

    /// <summary>One batch in its own transaction; null when another replica holds the lock.</summary>
    private async Task<int?> PruneBatchAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (!locked)
            {
                return (int?)null;
            }

            var batch = DeliveryLifecycle.Prunable(db, cutoff)
                .OrderBy(d => d.ReceivedAt)
                .Take(batchSize)
                .Select(d => d.Id);
            var deleted = await db.Deliveries.Where(d => batch.Contains(d.Id)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return deleted;
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Deliveries} deliveries received before {Cutoff:O}")]
    private static partial void LogPruned(ILogger logger, int deliveries, DateTimeOffset cutoff);
}
