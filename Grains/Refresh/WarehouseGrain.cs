using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Serialises, coalesces and deduplicates one warehouse's refreshes.
/// <para>
/// The refresh does not run inside a grain call. A push's requests are written by its repository's dispatch
/// (<see cref="DeliveryDispatch"/>), which then calls <see cref="ResumeAsync"/>; <see cref="RequestRefreshAsync"/>
/// (manual and interval refreshes) only records the request (group committed with whatever else arrived meanwhile, see
/// <see cref="RefreshIntake"/>) and returns. Either way ingress never waits for discovery. Refreshes run in one
/// background loop per activation (<see cref="_loop"/>), started when there is none; every turn of the loop, of the
/// intake and of the grain's calls runs on the activation's single-threaded scheduler, so the flags and tasks need no
/// lock. Each pass of the loop takes every pending request at once: whatever
/// arrived during a refresh becomes exactly one follow-up refresh. Orleans keeps one activation per warehouse in the
/// cluster, so there are never two refreshes of one warehouse at once.
/// </para>
/// <para>
/// A pass that throws leaves its requests pending and the warehouse backs off (<see cref="RefreshBackoff"/>): the next
/// attempt waits for a one-shot timer, however often requests or the sweeper ask meanwhile. So does a pass that finds
/// the warehouse's refresh lock (<see cref="PassStatements"/>) held by a zombie activation.
/// </para>
/// </summary>
public sealed partial class WarehouseGrain(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    NpgsqlDataSource dataSource,
    HeadDiscovery discovery,
    NotificationSignal notificationSignal,
    RefreshMetrics metrics,
    GrainDatabaseGate gate,
    RefreshPassBatcher batcher,
    IOptions<RefreshOptions> options,
    TimeProvider clock,
    ILogger<WarehouseGrain> logger) : Grain, IWarehouseGrain
{
    private RefreshIntake _intake = null!;
    private RefreshPass _pass = null!;
    private RefreshBackoff _backoff = null!;
    private Task _loop = Task.CompletedTask;
    private bool _requestedDuringPass;
    private long _lastPassStartedAt;
    private IGrainTimer? _retryTimer;
    private IGrainTimer? _pollTimer;
    private TimeSpan? _pollInterval;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _intake = new RefreshIntake(Id, dbFactory, gate, metrics, Now, StartLoop, logger);
        _pass = new RefreshPass(Id, dbFactory, dataSource, batcher, gate, discovery, notificationSignal, metrics, clock, Now, logger);
        _backoff = new RefreshBackoff(options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // A refresh still "running" in the database belonged to an activation that died with its silo: its
            // requests were never completed, so the loop below takes them again.
            await db.Refreshes
                .Where(r => r.WarehouseId == Id && r.Status == RefreshStatus.Running)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, RefreshStatus.Interrupted)
                    .SetProperty(r => r.FinishedAt, Now()), cancellationToken);
        }

        await ConfigurePollingAsync(cancellationToken);
        StartLoop();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Answer every request already queued, and let a running refresh finish; if the silo is going down hard, the
        // requests stay pending (or were never acknowledged) and are resumed.
        try
        {
            await _intake.Drained.WaitAsync(cancellationToken);
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task<RefreshAcknowledgement> RequestRefreshAsync(RefreshTrigger trigger) => _intake.SubmitAsync(trigger);

    public Task ResumeAsync()
    {
        StartLoop();
        return Task.CompletedTask;
    }

    public async Task PollAsync()
    {
        if (_pollInterval is null)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        var lastRefreshAt = await db.Warehouses.Where(w => w.Id == Id).Select(w => w.LastRefreshAt).FirstOrDefaultAsync();
        var pending = await db.RefreshQueue.AnyAsync(q => q.WarehouseId == Id);
        if (!pending && (lastRefreshAt is null || Now() - lastRefreshAt >= _pollInterval))
        {
            await RequestRefreshAsync(new RefreshTrigger(RefreshReason.Interval, null, null, []));
        }
    }

    public async Task InvalidateAsync()
    {
        _pass.Invalidate();
        await ConfigurePollingAsync(CancellationToken.None);
    }

    /// <summary>
    /// Starts the refresh loop unless it runs or a retry is scheduled; either way makes sure the loop takes another
    /// look before it stops.
    /// </summary>
    private void StartLoop()
    {
        _requestedDuringPass = true;
        if (_loop.IsCompleted && _retryTimer is null)
        {
            _loop = RunLoopAsync();
        }
    }

    private async Task RunLoopAsync()
    {
        // Yield first so the call that started the loop answers before the refresh begins.
        await Task.Yield();
        while (_requestedDuringPass)
        {
            // The pass clears the flag just before it reads the pending requests; a request committed after that sets
            // it again (every writer of requests wakes the grain after its commit), so the loop cannot stop between a
            // request's commit and its being noticed, and needs no empty pass to find out that nothing came.
            try
            {
                // Requests being committed right now are taken by this pass rather than causing the next one.
                await _intake.CurrentBatch;
                await RunPassAsync();
                _backoff.Succeeded();
            }
            catch (WarehouseBusyException)
            {
                // A zombie activation's pass holds the lock; once it ends, the requests it did not take are ours.
                var delay = _backoff.Failed();
                LogBusy(Id, delay.TotalSeconds);
                ScheduleRetry(delay);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The requests are still pending in the database: try again once the back-off has run out.
                var delay = _backoff.Failed();
                LogRefreshFailed(e, Id, _backoff.Failures, delay.TotalSeconds);
                ScheduleRetry(delay);
                return;
            }
        }
    }

    /// <summary>
    /// One pass, no sooner than <see cref="RefreshOptions.MinimumRefreshSpacing"/> after the previous one started (what
    /// arrives meanwhile is taken together).
    /// </summary>
    private async Task RunPassAsync()
    {
        var wait = options.Value.MinimumRefreshSpacing - Stopwatch.GetElapsedTime(_lastPassStartedAt);
        if (_lastPassStartedAt != 0 && wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
            // Requests committed while we waited ride along.
            await _intake.CurrentBatch;
        }

        var started = Stopwatch.GetTimestamp();
        _requestedDuringPass = false;
        var refreshed = await _pass.RunAsync();
        if (refreshed)
        {
            // Only a pass that had work counts: a lone push after a quiet spell refreshes at once.
            _lastPassStartedAt = started;
        }
    }

    private void ScheduleRetry(TimeSpan delay)
    {
        _requestedDuringPass = true;
        _retryTimer?.Dispose();
        _retryTimer = this.RegisterGrainTimer(() =>
        {
            _retryTimer?.Dispose();
            _retryTimer = null;
            StartLoop();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { Interleave = true });
    }

    private async Task ConfigurePollingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var config = await db.Warehouses.AsNoTracking()
            .Where(w => w.Id == Id)
            .Select(w => new { w.Interval, HasGit = w.Subscriptions.Any(s => s.Discovery == DiscoveryMode.Git) })
            .FirstOrDefaultAsync(cancellationToken);
        var interval = config is { HasGit: true }
            ? (config.Interval > TimeSpan.Zero ? config.Interval : options.Value.DefaultInterval)
            : (TimeSpan?)null;
        if (interval == _pollInterval)
        {
            return;
        }

        _pollInterval = interval;
        _pollTimer?.Dispose();
        _pollTimer = null;
        if (interval is { } period)
        {
            // While active, the grain lists its git subscriptions on its own; the sweeper's poll covers the time it is
            // not active. Checking a few times per interval keeps the lateness well under one interval.
            var tick = TimeSpan.FromTicks(Math.Max(period.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
            _pollTimer = this.RegisterGrainTimer(_ => PollAsync(), new GrainTimerCreationOptions(tick, tick));
        }
    }

    // PostgreSQL keeps microseconds: times are truncated to them so what is read back compares equal.
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Warehouse {WarehouseId} is being refreshed by another activation (a silo declared dead that still runs); next attempt in {DelaySeconds:0.###} s")]
    private partial void LogBusy(Guid warehouseId, double delaySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Refresh of warehouse {WarehouseId} failed ({Failures} in a row); its requests stay pending, next attempt in {DelaySeconds:0.###} s")]
    private partial void LogRefreshFailed(Exception exception, Guid warehouseId, int failures, double delaySeconds);
}
