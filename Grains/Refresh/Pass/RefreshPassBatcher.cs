using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Group commit of the silo's payload-mode refresh passes: whatever the warehouse grains hand over while one batch is
/// under way goes into the next, read in one round trip (each warehouse's lock, pending requests, known heads, latest
/// Freight) and committed in one more, with every lock given back. A push to a repository followed by two warehouses
/// causes two passes; one by one, each was seven round trips, and PostgreSQL spent more CPU on the passes than on the
/// deliveries. Each warehouse still has one pass at a time (its grain awaits it) and its own lock. The batches form in a
/// <see cref="GroupCommit{T}"/>, which lingers <see cref="RefreshOptions.BatchLinger"/> for more.
/// <para>
/// A warehouse whose lock another session holds fails its pass with <see cref="WarehouseBusyException"/>; a batch the
/// database refuses is written again warehouse by warehouse, so that one warehouse's bad data fails only its own pass.
/// </para>
/// </summary>
public sealed partial class RefreshPassBatcher
{
    /// <summary>Warehouses read and written together at most; more wait for the next batch.</summary>
    private const int MaxBatchSize = 256;

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly ILogger<RefreshPassBatcher> _logger;
    private readonly GroupCommit<Queued> _commit;

    public RefreshPassBatcher([FromKeyedServices(DatabaseExtensions.Writers)] NpgsqlDataSource dataSource, IOptions<RefreshOptions> options, TimeProvider clock, ILogger<RefreshPassBatcher> logger)
    {
        _dataSource = dataSource;
        _clock = clock;
        _logger = logger;
        _commit = new GroupCommit<Queued>(RunQueuedAsync, static (q, e) => q.Done.TrySetException(e), MaxBatchSize, options.Value.BatchLinger, clock);
    }

    /// <summary>
    /// Runs the pass of <paramref name="warehouseId"/> with the others queued meanwhile: <paramref name="plan"/> turns
    /// what was read into what to commit (null: nothing pending). Completes once that is committed, with it.
    /// </summary>
    /// <exception cref="WarehouseBusyException">Another session holds the warehouse's lock.</exception>
    internal Task<PassWrite?> RunAsync(Guid warehouseId, IReadOnlyList<Guid> unfinishedRuns, Func<PassState, PassWrite?> plan)
    {
        var queued = new Queued(warehouseId, unfinishedRuns, plan);
        _commit.Add(queued);
        return queued.Done.Task;
    }

    private async Task RunQueuedAsync(List<Queued> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await RunBatchAsync(batch);
        }
        catch (Exception e)
        {
            // The read failed, or the connection broke: nothing of the batch is committed, its requests stay pending.
            LogBatchFailed(batch.Count, e.GetType().Name, e.Message);
            throw;
        }
        finally
        {
            LogBatch(batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private async Task RunBatchAsync(List<Queued> batch)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        var unlocked = false;
        try
        {
            var states = await PassStatements.ReadAsync(connection, [.. batch.Select(q => q.WarehouseId)],
                [.. batch.SelectMany(q => q.UnfinishedRuns)], RefreshPass.UnexpectedError, _clock.GetUtcNow());
            var writes = new List<(Queued Queued, PassWrite Write)>(batch.Count);
            foreach (var queued in batch)
            {
                if (states[queued.WarehouseId] is not { } state)
                {
                    queued.Done.TrySetException(new WarehouseBusyException(queued.WarehouseId));
                }
                else if (Plan(queued, state) is { } write)
                {
                    writes.Add((queued, write));
                }
            }

            try
            {
                await PassStatements.WriteAsync(connection, [.. writes.Select(w => w.Write)], unlock: true);
                unlocked = true;
                foreach (var (queued, write) in writes)
                {
                    queued.Done.TrySetResult(write);
                }
            }
            catch (PostgresException e) when (writes.Count > 1 && !e.IsTransient)
            {
                LogBatchSplit(writes.Count, e.SqlState);
                foreach (var (queued, write) in writes)
                {
                    await WriteOneAsync(connection, queued, write);
                }
            }
        }
        finally
        {
            if (!unlocked)
            {
                await PassStatements.UnlockAsync(connection, _logger);
            }
        }
    }

    /// <summary>The plan of one warehouse; a plan that throws fails that warehouse's pass only.</summary>
    private static PassWrite? Plan(Queued queued, PassState state)
    {
        try
        {
            var write = queued.Plan(state);
            if (write is null)
            {
                queued.Done.TrySetResult(null);
            }

            return write;
        }
        catch (Exception e)
        {
            queued.Done.TrySetException(e);
            return null;
        }
    }

    private static async Task WriteOneAsync(NpgsqlConnection connection, Queued queued, PassWrite write)
    {
        try
        {
            await PassStatements.WriteAsync(connection, [write], unlock: false);
            queued.Done.TrySetResult(write);
        }
        catch (PostgresException e)
        {
            queued.Done.TrySetException(e);
        }
    }

    private sealed record Queued(Guid WarehouseId, IReadOnlyList<Guid> UnfinishedRuns, Func<PassState, PassWrite?> Plan)
    {
        public TaskCompletionSource<PassWrite?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refresh passes of {Warehouses} warehouse(s) in {Milliseconds:0.#} ms")]
    private partial void LogBatch(int warehouses, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh passes of {Count} warehouse(s) failed ({Error}: {Reason}); their requests stay pending")]
    private partial void LogBatchFailed(int count, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The refresh passes of {Count} warehouses were refused together ({SqlState}); writing them one by one")]
    private partial void LogBatchSplit(int count, string sqlState);
}
