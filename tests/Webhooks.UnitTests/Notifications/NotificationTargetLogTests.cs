using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.Grains.Notifications;

namespace Webhooks.UnitTests.Notifications;

public sealed class NotificationTargetLogTests
{
    private const string Target = "http://ci.example.com/hooks";

    private readonly FakeLogger _logger = new();
    private readonly ManualClock _clock = new();
    private readonly NotificationTargetLog _log;

    public NotificationTargetLogTests() => _log = new NotificationTargetLog(_logger, _clock, () => TimeSpan.FromMinutes(5));

    [Fact]
    public void ATargetThatKeepsFailingLogsOnceWhenItStartsThenASummaryPerIntervalNotALinePerRetry()
    {
        _log.Record("acme", "deploy", Target, delivered: false, attempts: 6, error: "Connection refused");
        for (var round = 0; round < 16; round++)
        {
            _clock.Advance(TimeSpan.FromSeconds(20));
            _log.Record("acme", "deploy", Target, delivered: false, attempts: 6, error: "HTTP 503");
        }

        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal(LogLevel.Warning, line.Level));
        Assert.All(lines, line => Assert.Contains("acme/deploy", line.Message, StringComparison.Ordinal));
        Assert.All(lines, line => Assert.Contains(Target, line.Message, StringComparison.Ordinal));
        Assert.Contains("is failing: Connection refused", lines[0].Message, StringComparison.Ordinal);
        Assert.Contains("still failing", lines[1].Message, StringComparison.Ordinal);
        // Rounds 20 s apart: the 15th is 5 minutes after the first line and summarizes the 15 rounds of six attempts since.
        Assert.Contains("90 failed attempt(s)", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecoveryIsLoggedOnceAndAHealthyTargetLogsNothing()
    {
        _log.Record("acme", "deploy", Target, delivered: true, attempts: 0, error: null);
        Assert.Empty(_logger.Collector.GetSnapshot());

        _log.Record("acme", "deploy", Target, delivered: false, attempts: 2, error: "HTTP 500");
        _clock.Advance(TimeSpan.FromMinutes(1));
        _log.Record("acme", "deploy", Target, delivered: true, attempts: 1, error: null);
        _log.Record("acme", "deploy", Target, delivered: true, attempts: 0, error: null);

        var lines = _logger.Collector.GetSnapshot();
        Assert.Equal(2, lines.Count);
        Assert.Equal(LogLevel.Information, lines[1].Level);
        Assert.Contains("recovered after 00:01:00 and 2 failed attempt(s)", lines[1].Message, StringComparison.Ordinal);
        Assert.Contains("acme/deploy", lines[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EachWarehouseAndTargetHasItsOwnState()
    {
        _log.Record("acme", "deploy", Target, delivered: false, attempts: 1, error: "HTTP 500");
        _log.Record("acme", "release", Target, delivered: false, attempts: 1, error: "HTTP 500");
        _log.Record("acme", "deploy", "http://other.example.com/", delivered: false, attempts: 1, error: "HTTP 500");

        Assert.Equal(3, _logger.Collector.Count);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
