using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;

namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>
/// Writes delivery history with group commit: requests arriving together are inserted by one round trip and one
/// transaction, and each waiting request learns its own row's fate. So throughput does not hang on one commit per
/// request, and still no request is answered 2xx before its row is committed. The insert is also the duplicate check
/// (<see cref="DeliveryInsert"/>): each request learns whether its row was committed or which delivery it repeats.
/// </summary>
public sealed partial class DeliveryRecorder(
    [FromKeyedServices(DatabaseExtensions.History)] NpgsqlDataSource dataSource,
    IOptions<IngressOptions> options,
    TimeProvider clock,
    ILogger<DeliveryRecorder> logger) : BackgroundService
{
    private const int MaxBatchSize = 256;

    /// <summary>Writes of one batch when PostgreSQL aborts it as a deadlock victim.</summary>
    private const int MaxAttempts = 3;

    /// <summary>
    /// Batches written at once, each on a connection of the history writers' pool, which is sized for them
    /// (<see cref="DatabaseExtensions.HistoryWriters"/> says why a few).
    /// </summary>
    private const int MaxConcurrentBatches = DatabaseExtensions.HistoryWriters;

    private readonly SemaphoreSlim _writers = new(MaxConcurrentBatches, MaxConcurrentBatches);

    private readonly Channel<PendingRecord> _queue = Channel.CreateBounded<PendingRecord>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Commits <paramref name="delivery"/> (with the rows of concurrent requests) and says how it went.</summary>
    /// <exception cref="NpgsqlException">The database could not commit the row.</exception>
    public async Task<Recorded> RecordAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<Recorded>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new PendingRecord(delivery, completion), cancellationToken);
        return await completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues a row nobody waits for (a rejection); dropped with a warning if the database is down.</summary>
    public void RecordInBackground(Delivery delivery)
    {
        if (!_queue.Writer.TryWrite(new PendingRecord(new NewDelivery(delivery, State: null, Scope: null), null)))
        {
            LogQueueFull(delivery.Outcome);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                // A free writer first: whatever arrives while all are busy joins the next batch.
                await _writers.WaitAsync(stoppingToken);
                var batch = new List<PendingRecord>(Math.Min(MaxBatchSize, _queue.Reader.Count));
                while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                if (batch.Count == 0)
                {
                    _writers.Release();
                    continue;
                }

                // Not awaited: the next batch forms while this one is written; the writer's slot tracks it.
                _ = WriteAndReleaseAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Every writer's slot back means every batch in flight has been written (or has failed its requests).
        for (var i = 0; i < MaxConcurrentBatches; i++)
        {
            await _writers.WaitAsync(CancellationToken.None);
        }

        // Stopping: whoever still waits must not be left hanging (they answer 503 and Bitbucket retries).
        while (_queue.Reader.TryRead(out var pending))
        {
            pending.Completion?.TrySetException(new OperationCanceledException("The service is stopping."));
        }
    }

    private async Task WriteAndReleaseAsync(List<PendingRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            // Concurrent batches take the dedupe keys' index locks in one order, so copies of the same deliveries
            // split across two batches wait for each other instead of deadlocking (which answered them 503).
            batch.Sort(static (a, b) => string.CompareOrdinal(a.Delivery.Row.DedupeKey, b.Delivery.Row.DedupeKey));
            await WriteBatchAsync(batch, cancellationToken);
        }
        finally
        {
            _writers.Release();
        }
    }

    private async Task WriteBatchAsync(List<PendingRecord> batch, CancellationToken cancellationToken, int attempt = 1)
    {
        try
        {
            // One statement, so one implicit transaction: committed when the statement completes, which the reader's end
            // (PostgreSQL's ReadyForQuery) confirms. An explicit BEGIN … COMMIT would cost a second round trip.
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = DeliveryInsert.Create(
                batch.ConvertAll(pending => pending.Delivery), clock.GetUtcNow() - options.Value.DedupeWindow);
            command.Connection = connection;
            var fates = new Dictionary<Guid, Recorded>(batch.Count);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    fates[reader.GetGuid(0)] = reader.GetBoolean(1)
                        ? new Recorded(RecordOutcome.Committed, null)
                        : new Recorded(RecordOutcome.Duplicate, reader.IsDBNull(2) ? null : reader.GetGuid(2));
                }
            }

            foreach (var pending in batch)
            {
                pending.Completion?.TrySetResult(fates[pending.Delivery.Row.Id]);
            }
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            && attempt < MaxAttempts)
        {
            // Chosen as a deadlock victim (by another writer of the same table): nothing was committed, write again.
            LogBatchRetried(batch.Count, exception.SqlState, attempt);
            await WriteBatchAsync(batch, cancellationToken, attempt + 1);
        }
        catch (PostgresException exception) when (batch.Count > 1 && !exception.IsTransient)
        {
            // One row the database refuses (bad data) must not fail the requests it happened to share a batch with:
            // write them one by one, so only that row's request fails.
            LogBatchSplit(batch.Count, exception.SqlState);
            foreach (var pending in batch)
            {
                await WriteBatchAsync([pending], cancellationToken);
            }
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            LogBatchFailed(batch.Count, exception.Message);
            foreach (var pending in batch)
            {
                pending.Completion?.TrySetException(exception);
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _writers.Dispose();
    }

    private sealed record PendingRecord(NewDelivery Delivery, TaskCompletionSource<Recorded>? Completion);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {Count} delivery row(s): {Reason}")]
    private partial void LogBatchFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} delivery rows was aborted ({SqlState}) on attempt {Attempt}; writing it again")]
    private partial void LogBatchRetried(int count, string sqlState, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} delivery rows was refused ({SqlState}); writing them one by one")]
    private partial void LogBatchSplit(int count, string sqlState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "History queue full: a {Outcome} row was not recorded")]
    private partial void LogQueueFull(DeliveryOutcome outcome);
}
