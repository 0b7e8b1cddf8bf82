using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Group commit of the silo's dispatch batches: whatever the repository grains hand over while one write is under way
/// goes into the next, as one <see cref="DispatchStatements"/> round trip. With a thousand repositories each pushed
/// about once a second, every grain's batch holds one delivery; written one by one, behind the grains' database gate
/// and its queue of refresh passes, dispatch fell tens of seconds behind ingress under load (deliveries piled up
/// <c>accepted</c>, the warehouses learnt of them late). One writer on its own connection (<see cref="GroupCommit{T}"/>,
/// lingering <see cref="RefreshOptions.BatchLinger"/> for more) keeps up with ingress in a handful of round trips a
/// second, and needs no slot of the gate.
/// </summary>
public sealed partial class DispatchWriter
{
    /// <summary>Submissions (one repository grain's batch each) written together at most.</summary>
    private const int MaxBatchSize = 512;

    private readonly NpgsqlDataSource _dataSource;
    private readonly RefreshMetrics _metrics;
    private readonly TimeProvider _clock;
    private readonly ILogger<DispatchWriter> _logger;
    private readonly GroupCommit<Submission> _commit;

    public DispatchWriter([FromKeyedServices(DatabaseExtensions.Writers)] NpgsqlDataSource dataSource, RefreshMetrics metrics, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<DispatchWriter> logger)
    {
        _dataSource = dataSource;
        _metrics = metrics;
        _clock = clock;
        _logger = logger;
        _commit = new GroupCommit<Submission>(WriteQueuedAsync, static (s, e) => s.Done.TrySetException(e), MaxBatchSize, options.Value.BatchLinger, clock);
    }

    /// <summary>
    /// Writes <paramref name="requests"/> and marks <paramref name="deliveries"/> dispatched, in one transaction with
    /// whatever else is submitted meanwhile; completes once committed.
    /// </summary>
    /// <exception cref="NpgsqlException">The database refused or could not be reached; nothing of this submission is committed.</exception>
    public Task WriteAsync(IReadOnlyList<RefreshRequest> requests, IReadOnlyList<(Guid DeliveryId, int Warehouses)> deliveries)
    {
        var submission = new Submission(requests, deliveries);
        _commit.Add(submission);
        return submission.Done.Task;
    }

    private async Task WriteQueuedAsync(List<Submission> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await WriteBatchAsync(batch);
            LogWritten(batch.Count, batch.Sum(s => s.Deliveries.Count), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One submission the database refuses must not fail the grains it shared the round trip with.
            LogBatchSplit(batch.Count, e.GetType().Name, e.Message);
            foreach (var submission in batch)
            {
                await WriteOneAsync(submission);
            }

            return;
        }

        foreach (var submission in batch)
        {
            submission.Done.TrySetResult();
        }
    }

    private async Task WriteOneAsync(Submission submission)
    {
        try
        {
            await WriteBatchAsync([submission]);
            submission.Done.TrySetResult();
        }
        catch (Exception e)
        {
            submission.Done.TrySetException(e);
        }
    }

    private async Task WriteBatchAsync(List<Submission> batch)
    {
        var requests = batch.Count == 1 ? batch[0].Requests : [.. batch.SelectMany(s => s.Requests)];
        var deliveries = batch.Count == 1 ? batch[0].Deliveries : [.. batch.SelectMany(s => s.Deliveries)];
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var statements = DispatchStatements.Create(connection, requests, deliveries, _clock.GetUtcNow());
        await using var reader = await statements.ExecuteReaderAsync();
        var written = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var reason = reader.GetString(0);
            written[reason] = written.GetValueOrDefault(reason) + 1;
        }

        // Past the marking statement's result too, so that its errors surface here rather than on disposal.
        while (await reader.NextResultAsync())
        {
        }

        foreach (var (reason, count) in written)
        {
            _metrics.Requested(Enum.Parse<RefreshReason>(reason), count);
        }
    }

    private sealed record Submission(IReadOnlyList<RefreshRequest> Requests, IReadOnlyList<(Guid DeliveryId, int Warehouses)> Deliveries)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dispatched {Batches} batches of {Deliveries} deliveries in {Milliseconds:0.#} ms")]
    private partial void LogWritten(int batches, int deliveries, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch of {Count} batches failed ({Error}: {Reason}); writing them one by one")]
    private partial void LogBatchSplit(int count, string error, string reason);
}
