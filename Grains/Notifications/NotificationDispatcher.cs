using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Grains.Hosting;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Drains the notification outbox on every replica. Entries are claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease
/// (so two replicas never post one entry at once, and an entry whose replica died is claimed again when its lease
/// ends), then delivered concurrently, each attempt recorded as it ends. Refreshes only ever write outbox rows, so a
/// dead downstream target delays nothing but its own notifications.
/// </summary>
public sealed partial class NotificationDispatcher(
    NpgsqlDataSource dataSource,
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IServiceProvider services,
    WarehouseSecretProtector protector,
    NotificationSignal signal,
    IOptions<OutboxOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    private const string ClaimSql = """
        UPDATE notification_outbox o SET "LockedUntil" = $1, "Rounds" = o."Rounds" + 1
        WHERE o."Id" IN (
            SELECT "Id" FROM notification_outbox
            WHERE "Status" = 'Pending' AND "NextAttemptAt" <= $2 AND ("LockedUntil" IS NULL OR "LockedUntil" < $2)
            ORDER BY "NextAttemptAt"
            LIMIT $3
            FOR UPDATE SKIP LOCKED)
        RETURNING o."Id", o."FreightId", o."Rounds"
        """;

    private readonly HashSet<Task> _running = [];
    private NotificationTargetLog? _targets;

    private readonly OutcomeWriter _outcomes = new(clock, logger);

    private NotificationTargetLog Targets => _targets ??= new(logger, clock, () => options.Value.FailureSummaryInterval);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Registered by AddFreightNotifications(); without it nothing can be posted and entries wait.
        var notifier = services.GetService<IFreightNotifier>();
        if (notifier is null || !await ApplicationStarted.WaitAsync(lifetime, stoppingToken))
        {
            return;
        }

        Task wake = Task.CompletedTask;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                _running.RemoveWhere(t => t.IsCompleted);
                var free = options.Value.MaxConcurrency - _running.Count;
                if (free > 0)
                {
                    try
                    {
                        foreach (var claim in await ClaimAsync(free, stoppingToken))
                        {
                            _running.Add(DeliverAsync(notifier, claim, stoppingToken));
                        }
                    }
                    catch (Exception e) when (e is NpgsqlException or TimeoutException)
                    {
                        LogClaimFailed(e.Message);
                    }
                }

                // Wake on a new Freight signal, a finished delivery (a slot is free), or the poll interval. One wait is
                // kept across iterations, so a signal is never taken by a wait nobody listens to any more.
                if (wake.IsCompleted)
                {
                    wake = signal.WaitAsync(options.Value.PollInterval, stoppingToken);
                }

                await (_running.Count >= options.Value.MaxConcurrency ? Task.WhenAny(_running) : Task.WhenAny(_running.Append(wake)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Stopping: what is in flight keeps its lease and is claimed again by a replica that lives.
    }

    private async Task<List<Claim>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lease = options.Value.Lease;
        var writeBy = now + lease - OutcomeWriter.Margin(lease);
        await using var command = dataSource.CreateCommand(ClaimSql);
        command.Parameters.Add(new() { Value = now + lease });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = limit });
        var claims = new List<Claim>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claims.Add(new Claim(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2), writeBy));
        }

        return claims;
    }

    private async Task DeliverAsync(IFreightNotifier notifier, Claim claim, CancellationToken cancellationToken)
    {
        // Run off the loop's turn so one slow target never holds up claiming the next entries.
        await Task.Yield();
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.Freight.AsNoTracking()
                .Where(f => f.Id == claim.FreightId)
                .Select(f => new
                {
                    Freight = f,
                    Warehouse = db.Set<Warehouse>().Where(w => w.Id == f.WarehouseId)
                        .Select(w => new
                        {
                            w.Name, Project = w.Project!.Name, w.NotifyUrl, w.ProtectedNotifySecret, w.ProtectedPreviousNotifySecret,
                            w.PreviousNotifySecretValidUntil, w.LegacyHubSignature,
                        }).First(),
                })
                .FirstOrDefaultAsync(cancellationToken);
            if (row?.Warehouse.NotifyUrl is null)
            {
                await CompleteAsync(claim, NotificationStatus.Failed, "The warehouse no longer has a notify target.", cancellationToken);
                return;
            }

            var f = row.Freight;
            var notification = new FreightNotification(
                f.Id, row.Warehouse.Project, row.Warehouse.Name, f.RepositoryKey, f.RepositoryUrl, f.Ref, f.Commit, f.Message, f.Author,
                f.DiscoveredAt, f.DeliveryIds);
            var w = row.Warehouse;
            var target = new NotifyTarget(
                w.NotifyUrl,
                protector.UnprotectNotifySecret(w.ProtectedNotifySecret),
                protector.UnprotectNotifySecret(w.ProtectedPreviousNotifySecret),
                w.PreviousNotifySecretValidUntil,
                w.LegacyHubSignature);
            string? lastError = null;
            var failedAttempts = 0;
            var delivered = await notifier.NotifyAsync(notification, target, async (attempt, ct) =>
            {
                lastError = attempt.Error ?? (attempt.Succeeded ? null : $"HTTP {attempt.StatusCode}");
                failedAttempts += attempt.Succeeded ? 0 : 1;
                var recorded = new NotificationAttempt
                {
                    OutboxId = claim.Id,
                    FreightId = claim.FreightId,
                    Round = claim.Round,
                    Attempt = attempt.Attempt,
                    StartedAt = attempt.StartedAt,
                    DurationMs = attempt.DurationMs,
                    StatusCode = attempt.StatusCode,
                    Error = attempt.Error is { Length: > 2000 } error ? error[..2000] : attempt.Error,
                    Succeeded = attempt.Succeeded,
                };
                await WriteOutcomeAsync(claim, async writeToken =>
                {
                    await using var attemptDb = await dbFactory.CreateDbContextAsync(writeToken);
                    attemptDb.NotificationAttempts.Add(recorded);
                    try
                    {
                        await attemptDb.SaveChangesAsync(writeToken);
                    }
                    catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                    {
                        // An earlier try committed it and lost the answer.
                    }
                }, ct);
            }, cancellationToken);

            Targets.Record(w.Project, w.Name, TargetForLog(w.NotifyUrl), delivered, failedAttempts, lastError);
            if (delivered)
            {
                await CompleteAsync(claim, NotificationStatus.Delivered, null, cancellationToken);
            }
            else if (claim.Round >= options.Value.MaxRounds)
            {
                await CompleteAsync(claim, NotificationStatus.Failed, lastError, cancellationToken);
                LogGaveUp(claim.FreightId, w.Project, w.Name, claim.Round);
            }
            else
            {
                var next = clock.GetUtcNow() + options.Value.RoundBackoff * Math.Pow(2, claim.Round - 1);
                await UpdateEntryAsync(claim, s => s
                    .SetProperty(o => o.NextAttemptAt, next)
                    .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null)
                    .SetProperty(o => o.LastError, lastError), cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The lease runs out and the entry is claimed again.
            LogDeliveryFailed(e, claim.FreightId);
        }
    }

    private Task CompleteAsync(Claim claim, NotificationStatus status, string? error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return UpdateEntryAsync(claim, s => s
            .SetProperty(o => o.Status, status)
            .SetProperty(o => o.CompletedAt, now)
            .SetProperty(o => o.LockedUntil, (DateTimeOffset?)null)
            .SetProperty(o => o.LastError, error), cancellationToken);
    }

    /// <summary>The claimed entry's new state, written as an outcome (<see cref="WriteOutcomeAsync"/>).</summary>
    private Task UpdateEntryAsync(
        Claim claim, Action<UpdateSettersBuilder<NotificationOutboxEntry>> setters, CancellationToken cancellationToken) =>
        WriteOutcomeAsync(claim, async writeToken =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(writeToken);
            await db.NotificationOutbox.Where(o => o.Id == claim.Id).ExecuteUpdateAsync(setters, writeToken);
        }, cancellationToken);

    /// <summary>What the target answered is written while the claim's lease lasts (<see cref="OutcomeWriter"/>).</summary>
    private Task WriteOutcomeAsync(Claim claim, Func<CancellationToken, Task> write, CancellationToken cancellationToken) =>
        _outcomes.WriteAsync(claim.FreightId, claim.WriteBy, write, cancellationToken);

    /// <summary>A claimed entry; what its target answers is to be written by <paramref name="WriteBy"/>, before the lease ends.</summary>
    private sealed record Claim(Guid Id, Guid FreightId, int Round, DateTimeOffset WriteBy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim outbox entries: {Reason}")]
    private partial void LogClaimFailed(string reason);

    /// <summary>The target as logs name it: scheme, host, port and path; never user info or a query, where tokens hide.</summary>
    private static string TargetForLog(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}{uri.AbsolutePath}" : "(not a URL)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up notifying Freight {FreightId} of warehouse {Project}/{Warehouse} after {Rounds} round(s)")]
    private partial void LogGaveUp(Guid freightId, string project, string warehouse, int rounds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notifying Freight {FreightId} failed; its lease will expire and it is tried again")]
    private partial void LogDeliveryFailed(Exception exception, Guid freightId);
}
