using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Logs a notify target's health the way an operator reads it: one warning when a target starts failing, one line when
/// it recovers, and while it keeps failing a summary every <see cref="OutboxOptions.FailureSummaryInterval"/> — never a
/// line per retry (a dead target retried for an hour made 190 anonymous warnings). Every line names project, warehouse
/// and target. State is this replica's own: each replica reports the rounds it made.
/// </summary>
internal sealed partial class NotificationTargetLog(ILogger logger, TimeProvider clock, Func<TimeSpan> summaryInterval)
{
    private readonly ConcurrentDictionary<(string Project, string Warehouse, string Target), Failing> _failing = new();

    /// <summary>One round's result for a Freight of <paramref name="warehouse"/>.</summary>
    public void Record(string project, string warehouse, string target, bool delivered, int attempts, string? error)
    {
        var key = (project, warehouse, target);
        var now = clock.GetUtcNow();
        if (delivered)
        {
            if (_failing.TryRemove(key, out var ended))
            {
                LogRecovered(logger, project, warehouse, target, now - ended.Since, ended.FailedAttempts);
            }

            return;
        }

        var failing = _failing.GetOrAdd(key, _ => new Failing(now));
        bool first;
        bool summarize;
        long failed;
        lock (failing)
        {
            first = failing.FailedAttempts == 0;
            failing.FailedAttempts += attempts;
            failing.FailedSinceSummary += attempts;
            summarize = !first && now - failing.SummarizedAt >= summaryInterval();
            failed = failing.FailedSinceSummary;
            if (first || summarize)
            {
                failing.SummarizedAt = now;
                failing.FailedSinceSummary = 0;
            }
        }

        if (first)
        {
            LogFailing(logger, project, warehouse, target, error ?? "no answer");
        }
        else if (summarize)
        {
            LogStillFailing(logger, project, warehouse, target, failing.Since, failed, error ?? "no answer");
        }
    }

    private sealed class Failing(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public DateTimeOffset SummarizedAt { get; set; } = since;

        public long FailedAttempts { get; set; }

        public long FailedSinceSummary { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notify target {Target} of warehouse {Project}/{Warehouse} is failing: {Error}; Freight waits and is retried")]
    private static partial void LogFailing(ILogger logger, string project, string warehouse, string target, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notify target {Target} of warehouse {Project}/{Warehouse} still failing since {Since:u}: {FailedAttempts} failed attempt(s) since the last summary, last error: {Error}")]
    private static partial void LogStillFailing(ILogger logger, string project, string warehouse, string target, DateTimeOffset since, long failedAttempts, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notify target {Target} of warehouse {Project}/{Warehouse} recovered after {Duration} and {FailedAttempts} failed attempt(s)")]
    private static partial void LogRecovered(ILogger logger, string project, string warehouse, string target, TimeSpan duration, long failedAttempts);
}
