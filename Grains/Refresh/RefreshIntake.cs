using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Group commit of one warehouse's refresh requests. Requests submitted while a batch is being written wait for the
/// next one, which writes them all together: one query for deliveries that already asked (a re-dispatch), one for the
/// Freight that makes a request redundant, one <c>SaveChanges</c>. Each caller's task completes only when its own row
/// is committed, so an acknowledgement still means "durable". A burst of a thousand requests is thus two or three
/// writes instead of a thousand, and the refresh loop sees it whole instead of a trickle of small refreshes.
/// <para>
/// Owned by a <see cref="WarehouseGrain"/> activation and only ever run on its single-threaded scheduler, so the
/// queue and the batch task need no lock.
/// </para>
/// </summary>
internal sealed partial class RefreshIntake(
    Guid warehouseId,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    GrainDatabaseGate gate,
    RefreshMetrics metrics,
    Func<DateTimeOffset> now,
    Action onPending,
    ILogger logger)
{
    private List<Submission> _queue = [];
    private Task _flushing = Task.CompletedTask;
    private Task _batch = Task.CompletedTask;
    private readonly RequestClock _requestClock = new(now);

    /// <summary>
    /// The batch being written now (never faults). A refresh about to take the pending requests waits for it, so the
    /// requests being committed at that moment ride along instead of causing one more refresh.
    /// </summary>
    public Task CurrentBatch => _batch;

    /// <summary>Completes once every request submitted so far has been written or has failed.</summary>
    public Task Drained => _flushing;

    /// <summary>Queues <paramref name="trigger"/>; the task completes when its request is committed.</summary>
    public Task<RefreshAcknowledgement> SubmitAsync(RefreshTrigger trigger)
    {
        var submission = new Submission(trigger, _requestClock.Next());
        _queue.Add(submission);
        if (_flushing.IsCompleted)
        {
            _flushing = FlushAsync();
        }

        return submission.Acknowledged.Task;
    }

    private async Task FlushAsync()
    {
        // Messages already delivered to the activation run before this continuation: they join the first batch.
        await Task.Yield();
        while (_queue.Count > 0)
        {
            var batch = _queue;
            _queue = [];
            _batch = WriteAsync(batch);
            await _batch;
        }
    }

    private async Task WriteAsync(List<Submission> batch)
    {
        try
        {
            using var slot = await gate.EnterAsync();
            if (await CommitAsync(batch))
            {
                onPending();
            }
        }
        catch (Exception e)
        {
            // Nothing of the batch is committed: every caller learns it, and may ask again.
            LogBatchFailed(e, warehouseId, batch.Count);
            foreach (var submission in batch)
            {
                submission.Acknowledged.TrySetException(e);
            }
        }
    }

    /// <summary>Writes the batch; true when a request it wrote (or found) still waits for a refresh.</summary>
    private async Task<bool> CommitAsync(List<Submission> batch)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var deliveryIds = batch.Select(s => s.Trigger.DeliveryId).OfType<Guid>().Distinct().ToList();
        var asked = deliveryIds.Count == 0
            ? []
            : await db.RefreshRequestsWithOutcomes
                .Where(r => r.WarehouseId == warehouseId && r.DeliveryId != null && deliveryIds.Contains(r.DeliveryId.Value))
                .ToDictionaryAsync(r => r.DeliveryId!.Value);
        var known = await KnownHeads.LoadAsync(db, warehouseId, batch.SelectMany(s => s.Trigger.Heads));
        var received = await ReceivedAsync(db, deliveryIds);

        var answers = new List<(Submission Submission, RefreshRequest Request)>(batch.Count);
        var added = new List<RefreshRequest>(batch.Count);
        var written = new Dictionary<Guid, RefreshRequest>();
        foreach (var submission in batch)
        {
            if (submission.Trigger.DeliveryId is { } deliveryId
                && (asked.TryGetValue(deliveryId, out var request) || written.TryGetValue(deliveryId, out request)))
            {
                // This delivery already asked (a re-dispatch, or twice in this batch): the first request stands.
                answers.Add((submission, request));
                continue;
            }

            request = NewRequest(submission, known, received);
            db.AddRefreshRequest(request);
            added.Add(request);
            if (submission.Trigger.DeliveryId is { } id)
            {
                written[id] = request;
            }

            answers.Add((submission, request));
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // A delivery asked between our check and our insert (only a second activation could): the database decides
            // request by request.
            return await CommitOneByOneAsync(batch);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            // The warehouse was deleted after the repository grain loaded its subscriptions.
            foreach (var (submission, request) in answers)
            {
                submission.Acknowledged.TrySetResult(new RefreshAcknowledgement(request.Id, RefreshRequestOutcome.Abandoned));
            }

            return false;
        }

        Record(added);
        foreach (var (submission, request) in answers)
        {
            submission.Acknowledged.TrySetResult(new RefreshAcknowledgement(request.Id, request.Outcome));
        }

        return answers.Any(a => a.Request.CompletedAt is null);
    }

    private async Task<bool> CommitOneByOneAsync(List<Submission> batch)
    {
        var pending = false;
        foreach (var submission in batch)
        {
            var (acknowledgement, waiting) = await CommitOneAsync(submission);
            submission.Acknowledged.TrySetResult(acknowledgement);
            pending |= waiting;
        }

        return pending;
    }

    private async Task<(RefreshAcknowledgement Acknowledgement, bool Pending)> CommitOneAsync(Submission submission)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var known = await KnownHeads.LoadAsync(db, warehouseId, submission.Trigger.Heads);
        var request = NewRequest(submission, known, await ReceivedAsync(db, submission.Trigger.DeliveryId is { } id ? [id] : []));
        db.AddRefreshRequest(request);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            var existing = await db.RefreshRequestsWithOutcomes
                .FirstAsync(r => r.WarehouseId == warehouseId && r.DeliveryId == submission.Trigger.DeliveryId);
            return (new RefreshAcknowledgement(existing.Id, existing.Outcome), existing.CompletedAt is null);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            return (new RefreshAcknowledgement(request.Id, RefreshRequestOutcome.Abandoned), false);
        }

        Record([request]);
        return (new RefreshAcknowledgement(request.Id, request.Outcome), request.CompletedAt is null);
    }

    /// <summary>When each of <paramref name="deliveryIds"/> was received, for the requests' <see cref="RefreshRequest.ReceivedAt"/>.</summary>
    private static async Task<Dictionary<Guid, DateTimeOffset>> ReceivedAsync(WebhooksDbContext db, List<Guid> deliveryIds) =>
        deliveryIds.Count == 0
            ? []
            : await db.Deliveries.AsNoTracking().Where(d => deliveryIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.ReceivedAt);

    private RefreshRequest NewRequest(Submission submission, KnownHeads known, Dictionary<Guid, DateTimeOffset> received)
    {
        var trigger = submission.Trigger;
        var request = new RefreshRequest
        {
            WarehouseId = warehouseId,
            DeliveryId = trigger.DeliveryId,
            Reason = trigger.Reason,
            RepositoryKey = trigger.RepositoryKey,
            Heads = [.. trigger.Heads],
            RequestedAt = submission.RequestedAt,
            ReceivedAt = trigger.DeliveryId is { } deliveryId && received.TryGetValue(deliveryId, out var at) ? at : null,
        };
        if (known.HasEvery(trigger.Heads))
        {
            request.Outcome = RefreshRequestOutcome.Deduplicated;
            request.CompletedAt = submission.RequestedAt;
        }

        return request;
    }

    private void Record(IReadOnlyCollection<RefreshRequest> added)
    {
        foreach (var group in added.GroupBy(r => r.Reason))
        {
            metrics.Requested(group.Key, group.Count());
        }

        var deduplicated = added.Where(r => r.Outcome == RefreshRequestOutcome.Deduplicated).ToList();
        metrics.Deduplicated(deduplicated.Count);
        foreach (var request in deduplicated)
        {
            LogDeduplicated(warehouseId, request.DeliveryId);
        }
    }

    private sealed record Submission(RefreshTrigger Trigger, DateTimeOffset RequestedAt)
    {
        public TaskCompletionSource<RefreshAcknowledgement> Acknowledged { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warehouse {WarehouseId} already has every head of delivery {DeliveryId}: deduplicated")]
    private partial void LogDeduplicated(Guid warehouseId, Guid? deliveryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record {Count} refresh request(s) of warehouse {WarehouseId}; their callers get the error")]
    private partial void LogBatchFailed(Exception exception, Guid warehouseId, int count);
}
