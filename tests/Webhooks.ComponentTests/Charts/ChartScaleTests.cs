using Webhooks.Dashboard.Components.Shared.Charts;

namespace Webhooks.ComponentTests.Charts;

public sealed class ChartScaleTests
{
    [Theory]
    [InlineData(0, 1, new long[] { 0, 1 })]
    [InlineData(1, 1, new long[] { 0, 1 })]
    [InlineData(3, 5, new long[] { 0, 1, 2, 3, 4, 5 })]
    [InlineData(7, 10, new long[] { 0, 2, 4, 6, 8, 10 })]
    [InlineData(13, 20, new long[] { 0, 5, 10, 15, 20 })]
    [InlineData(50, 50, new long[] { 0, 10, 20, 30, 40, 50 })]
    [InlineData(101, 200, new long[] { 0, 50, 100, 150, 200 })]
    [InlineData(4321, 5000, new long[] { 0, 1000, 2000, 3000, 4000, 5000 })]
    public void TheTopIsTheNextOneTwoOrFiveAboveTheLargestBarWithRoundTicks(long largest, long max, long[] ticks)
    {
        var scale = ChartScale.For(largest);

        Assert.Equal(max, scale.Max);
        Assert.Equal(ticks, scale.Ticks);
    }

    [Fact]
    public void HeightsAreProportionalToTheTop()
    {
        var scale = ChartScale.For(7);

        Assert.Equal(100, scale.HeightOf(10, 100));
        Assert.Equal(30, scale.HeightOf(3, 100), precision: 6);
        Assert.Equal(0, scale.HeightOf(0, 100));
    }
}
