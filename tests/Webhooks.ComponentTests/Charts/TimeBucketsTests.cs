using Webhooks.Dashboard.Components.Shared.Charts;

namespace Webhooks.ComponentTests.Charts;

public sealed class TimeBucketsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 42, TimeSpan.Zero);

    [Fact]
    public void SixtyMinuteBucketsEndWithTheMinuteNowIsInAndStartOnWholeMinutes()
    {
        var buckets = TimeBuckets.Fill([], Now, Minute, 60);

        Assert.Equal(60, buckets.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.Zero), buckets[^1].Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 31, 0, TimeSpan.Zero), buckets[0].Start);
        Assert.All(buckets, bucket => Assert.Equal(0, bucket.Total));
    }

    [Fact]
    public void QuietMinutesAreZeroesAndCountsOfOneMinuteAndSeriesAddUp()
    {
        ChartPoint[] points =
        [
            new(At(10, 30, 5), "Accepted", 3),
            new(At(10, 30, 59), "Accepted", 2),
            new(At(10, 30, 10), "Rejected", 1),
            new(At(10, 28, 0), "Accepted", 7),
        ];

        var buckets = TimeBuckets.Fill(points, Now, Minute, 60);

        Assert.Equal(5, buckets[^1]["Accepted"]);
        Assert.Equal(1, buckets[^1]["Rejected"]);
        Assert.Equal(6, buckets[^1].Total);
        Assert.Equal(0, buckets[^2].Total);
        Assert.Equal(7, buckets[^3]["Accepted"]);
        Assert.Equal(0, buckets[^3]["Rejected"]);
    }

    [Fact]
    public void PointsOutsideTheWindowAreDropped()
    {
        ChartPoint[] points =
        [
            new(At(9, 30, 59), "Accepted", 100),
            new(At(9, 31, 0), "Accepted", 1),
            new(At(10, 31, 0), "Accepted", 100),
        ];

        var buckets = TimeBuckets.Fill(points, Now, Minute, 60);

        Assert.Equal(1, buckets.Sum(bucket => bucket.Total));
        Assert.Equal(1, buckets[0]["Accepted"]);
    }

    [Fact]
    public void AMomentWithAnOffsetLandsInItsUtcMinute()
    {
        var inBerlin = new DateTimeOffset(2026, 11, 24, 11, 29, 30, TimeSpan.FromHours(1));

        var buckets = TimeBuckets.Fill([new(inBerlin, "Accepted", 1)], Now, Minute, 60);

        Assert.Equal(1, buckets[^2]["Accepted"]);
    }

    private static DateTimeOffset At(int hour, int minute, int second) => new(2026, 11, 24, hour, minute, second, TimeSpan.Zero);
}
