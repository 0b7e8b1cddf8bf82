using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// Writes the last-used times <see cref="ApiTokenUsage"/> collected: every <see cref="TokenOptions.LastUsedFlushInterval"/>
/// and once more on shutdown, one UPDATE per token that never moves the time backwards (replicas flush independently).
/// </summary>
public sealed partial class ApiTokenUsageFlusher(
    ApiTokenUsage usage,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IOptions<TokenOptions> options,
    ILogger<ApiTokenUsageFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LastUsedFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        using var lastChance = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await FlushAsync(lastChance.Token);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        var batch = usage.TakeBatch();
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            foreach (var (id, at) in batch)
            {
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"""
                    UPDATE api_tokens SET "LastUsedAt" = {at}
                    WHERE "Id" = {id} AND ("LastUsedAt" IS NULL OR "LastUsedAt" < {at})
                    """,
                    cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Put the batch back: the next flush tries again (Record keeps the later time).
            foreach (var (id, at) in batch)
            {
                usage.Record(id, at);
            }

            LogFlushFailed(batch.Count, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the last-used time of {Count} token(s); retrying at the next flush: {Reason}")]
    private partial void LogFlushFailed(int count, string reason);
}
