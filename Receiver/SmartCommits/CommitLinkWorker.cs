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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await LinkAsync(work, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogLinkFailed(work.DeliveryId, exception.GetType().Name, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LinkAsync(CommitLinkWork work, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var settings = await db.SmartCommitSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == work.ProjectId, cancellationToken);
        if (!work.Always && settings is not { Enabled: true })
        {
            return;
        }

        var links = CommitLinks.From(work.ProjectId, work.DeliveryId, work.Push, SmartCommitPattern.Compile(settings?.Patterns), timeProvider.GetUtcNow());
        if (links.Count == 0)
        {
            return;
        }

        var inserted = await CommitLinks.StoreAsync(db, links, cancellationToken);
        LogLinked(work.DeliveryId, inserted, links.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId}: {Inserted} new ALM link(s) of {Found} found")]
    private partial void LogLinked(Guid deliveryId, int inserted, int found);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {DeliveryId}: commits not linked ({Error}: {Reason})")]
    private partial void LogLinkFailed(Guid deliveryId, string error, string reason);
}
