using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.SmartCommits;

namespace Webhooks.Receiver.SmartCommits;

/// <summary>Links the commits of queued pushes to ALM issues, one push at a time, off the ingress path.</summary>
internal sealed partial class CommitLinkWorker(
    CommitLinkQueue queue,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    TimeProvider timeProvider,
    ILogger<CommitLinkWorker> logger) : BackgroundService
{
    /// <summary>Pushes handled together: one settings query for all of them instead of one per push.</summary>
    private const int MaxBatchSize = 256;

    /// <summary>
    /// How long a batch waits for more pushes before it is handled. Nobody waits for the links, and under a steady
    /// moderate load the worker otherwise took each push as it came: one settings query per push, 3 % of the machine's
    /// CPU at 740 deliveries a second (perf, docs/benchmarks.md) for projects that mostly never enable smart commits.
    /// </summary>
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var batch = new List<CommitLinkWork>(MaxBatchSize);
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (queue.Reader.Count < MaxBatchSize)
                {
                    await Task.Delay(Linger, timeProvider, stoppingToken);
                }

                batch.Clear();
                while (batch.Count < MaxBatchSize && queue.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                await LinkAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LinkAsync(List<CommitLinkWork> batch, CancellationToken cancellationToken)
    {
        Dictionary<Guid, SmartCommitSettings> settingsByProject;
        try
        {
            // Most projects never enable smart commits: under load this query, not the linking, was the cost.
            var projects = batch.Select(work => work.ProjectId).Distinct().ToList();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            settingsByProject = await db.SmartCommitSettings.AsNoTracking()
                .Where(s => projects.Contains(s.ProjectId))
                .ToDictionaryAsync(s => s.ProjectId, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            foreach (var work in batch)
            {
                LogLinkFailed(work.DeliveryId, exception.GetType().Name, exception.Message);
            }

            return;
        }

        foreach (var work in batch)
        {
            var settings = settingsByProject.GetValueOrDefault(work.ProjectId);
            if (!work.Always && settings is not { Enabled: true })
            {
                continue;
            }

            try
            {
                await LinkAsync(work, settings, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogLinkFailed(work.DeliveryId, exception.GetType().Name, exception.Message);
            }
        }
    }

    private async Task LinkAsync(CommitLinkWork work, SmartCommitSettings? settings, CancellationToken cancellationToken)
    {
        var links = CommitLinks.From(work.ProjectId, work.DeliveryId, work.Push, SmartCommitPattern.Compile(settings?.Patterns), timeProvider.GetUtcNow());
        if (links.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inserted = await CommitLinks.StoreAsync(db, links, cancellationToken);
        LogLinked(work.DeliveryId, inserted, links.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Inserted} new ALM link(s) of {Found} found")]
    private partial void LogLinked(Guid deliveryId, int inserted, int found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: commits not linked ({Error}: {Reason})")]
    private partial void LogLinkFailed(Guid deliveryId, string error, string reason);
}
