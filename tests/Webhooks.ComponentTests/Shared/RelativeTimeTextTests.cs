using Webhooks.Dashboard.Components.Shared;

namespace Webhooks.ComponentTests.Shared;

public sealed class RelativeTimeTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(4, "just now")]
    [InlineData(42, "42 s ago")]
    [InlineData(3 * 60 + 20, "3 min ago")]
    [InlineData(2 * 3600 + 5, "2 h ago")]
    [InlineData(5 * 86400, "5 d ago")]
    [InlineData(-2, "just now")]
    [InlineData(-90, "in 1 min")]
    public void SaysHowLongAgoInItsLargestUnit(int secondsAgo, string expected) =>
        Assert.Equal(expected, RelativeTimeText.Format(Now.AddSeconds(-secondsAgo), Now));

    [Theory]
    [InlineData(0.84, "0.8 ms")]
    [InlineData(12.4, "12 ms")]
    [InlineData(1420, "1.4 s")]
    public void MillisecondsReadAsInATable(double milliseconds, string expected) =>
        Assert.Equal(expected, RelativeTimeText.Milliseconds(milliseconds));
}
