using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Writes what a notification's target answered (an attempt, the entry's new state), retrying until shortly before the
/// claim's lease ends. Once the target has a Freight, a write given up sooner leaves the entry pending, and the replica
/// that claims it next posts it again: PostgreSQL restarted just after a target's 200 made one Freight arrive twice. Only
/// a write still failing when the lease is about to end (or a replica that dies) leaves that repeat, with the same
/// <c>Idempotency-Key</c>.
/// </summary>
internal sealed partial class OutcomeWriter
{
    private static readonly ResiliencePropertyKey<Guid> FreightKey = new("webhooks.freight.id");

    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public OutcomeWriter(TimeProvider clock, ILogger logger)
    {
        _clock = clock;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                // Whatever failed (a refused connection, a database not accepting connections, EF's own retries
                // exhausted), the write is worth another try while the lease lasts; cancellation ends it.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(1),
                OnRetry = arguments =>
                {
                    if (arguments.AttemptNumber == 0)
                    {
                        LogRetrying(arguments.Context.Properties.GetValue(FreightKey, Guid.Empty), arguments.Outcome.Exception?.Message);
                    }

                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The part of a lease kept free at its end: a tenth, at most 30 s.</summary>
    public static TimeSpan Margin(TimeSpan lease) => TimeSpan.FromTicks(Math.Min(lease.Ticks / 10, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>
    /// Runs <paramref name="write"/> until it succeeds, <paramref name="cancellationToken"/> is cancelled, or
    /// <paramref name="writeBy"/> (the lease's end less its <see cref="Margin"/>) has come (then it throws
    /// <see cref="OperationCanceledException"/>); once only when that time has already come.
    /// </summary>
    public async Task WriteAsync(Guid freightId, DateTimeOffset writeBy, Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var left = writeBy - _clock.GetUtcNow();
        if (left <= TimeSpan.Zero)
        {
            await write(cancellationToken);
            return;
        }

        using var deadline = new CancellationTokenSource(left, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var context = ResilienceContextPool.Shared.Get(linked.Token);
        context.Properties.Set(FreightKey, freightId);
        var tries = 0;
        try
        {
            await _pipeline.ExecuteAsync(
                async (ctx, work) =>
                {
                    tries++;
                    await work(ctx.CancellationToken);
                },
                context,
                write);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (tries > 1)
        {
            LogRecorded(freightId, tries);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the notification outcome of Freight {FreightId} ({Reason}); retrying until its lease is nearly over")]
    private partial void LogRetrying(Guid freightId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recorded the notification outcome of Freight {FreightId} at try {Tries}")]
    private partial void LogRecorded(Guid freightId, int tries);
}
