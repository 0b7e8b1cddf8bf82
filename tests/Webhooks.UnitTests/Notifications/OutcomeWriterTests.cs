using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Grains.Notifications;

namespace Webhooks.UnitTests.Notifications;

/// <summary>
/// What a target answered is written while the claim's lease lasts: a database away for a while delays the write, it
/// does not drop it (which would make the next claim post the Freight again).
/// </summary>
public sealed class OutcomeWriterTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(15);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task AWriteThatFailsWhileTheDatabaseIsAwayIsTriedAgainUntilItSucceeds()
    {
        var writer = new OutcomeWriter(_clock, _logger);
        var tries = 0;

        var writing = writer.WriteAsync(Guid.NewGuid(), _clock.GetUtcNow() + Lease - OutcomeWriter.Margin(Lease), _ =>
            ++tries < 4 ? throw new InvalidOperationException("Failed to connect to 127.0.0.1:5432") : Task.CompletedTask, CancellationToken.None);
        await AdvanceUntilAsync(writing);

        await writing;
        Assert.Equal(4, tries);
        var logged = _logger.Collector.GetSnapshot();
        Assert.Single(logged, r => r.Level == LogLevel.Warning && r.Message.Contains("Failed to connect", StringComparison.Ordinal));
        Assert.Single(logged, r => r.Level == LogLevel.Information && r.Message.Contains("at try 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWriteThatKeepsFailingGivesUpBeforeTheLeaseEnds()
    {
        var writer = new OutcomeWriter(_clock, _logger);
        var leaseUntil = _clock.GetUtcNow() + Lease;
        var margin = OutcomeWriter.Margin(Lease);
        var last = DateTimeOffset.MinValue;

        var writing = writer.WriteAsync(Guid.NewGuid(), leaseUntil - margin, _ =>
        {
            last = _clock.GetUtcNow();
            throw new InvalidOperationException("the database is away");
        }, CancellationToken.None);
        await AdvanceUntilAsync(writing);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing);
        Assert.Equal(TimeSpan.FromSeconds(30), margin);
        Assert.True(last <= leaseUntil - margin, $"a try at {last:O}, after {leaseUntil - margin:O}");
        Assert.True(last >= leaseUntil - margin - TimeSpan.FromSeconds(2), $"the last try at {last:O} stopped long before {leaseUntil - margin:O}");
    }

    [Fact]
    public async Task ALeaseNearlyOverAlreadyGetsOneTry()
    {
        var writer = new OutcomeWriter(_clock, _logger);
        var tries = 0;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(
            Guid.NewGuid(), _clock.GetUtcNow() - TimeSpan.FromSeconds(4), _ =>
            {
                tries++;
                throw new InvalidOperationException("the database is away");
            }, CancellationToken.None));

        Assert.Equal(1, tries);
        Assert.Equal("the database is away", failure.Message);
    }

    /// <summary>Moves the fake clock on, a second at a time, until <paramref name="task"/> ends (within an hour of it).</summary>
    private async Task AdvanceUntilAsync(Task task)
    {
        for (var i = 0; i < 3600 && !task.IsCompleted; i++)
        {
            // Let the retry schedule its delay on the fake clock before moving it.
            await Task.Yield();
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
