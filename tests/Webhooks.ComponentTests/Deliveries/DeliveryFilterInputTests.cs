using Webhooks.Dashboard.Deliveries;
using Webhooks.Grains.Deliveries;

namespace Webhooks.ComponentTests.Deliveries;

public sealed class DeliveryFilterInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void BlankFiltersMeanAnyAndQueryEverything()
    {
        var input = new DeliveryFilterInput(" ", "", null, "", "all");

        Assert.True(input.IsEmpty);
        Assert.Equal(DeliveryFilter.None, input.ToFilter(Now));
        Assert.Equal("/deliveries", input.ToUrl());
    }

    [Fact]
    public void EveryFilterMapsToTheHistoryQuery()
    {
        var input = new DeliveryFilterInput("acme", "cloud", "repo:push", "Rejected", "1h");

        var filter = input.ToFilter(Now);

        Assert.Equal(new DeliveryFilter("acme", "cloud", "repo:push", DeliveryOutcome.Rejected, Now.AddHours(-1)), filter);
    }

    [Theory]
    [InlineData("15m", 15)]
    [InlineData("1h", 60)]
    [InlineData("24h", 24 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    public void ATimeRangeIsALowerBoundThatFarBeforeNow(string range, int minutes)
    {
        var filter = new DeliveryFilterInput(Range: range).ToFilter(Now);

        Assert.Equal(Now.AddMinutes(-minutes), filter.Since);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("all")]
    [InlineData("forever")]
    public void AnUnknownOrMissingRangeIsAnyTime(string? range)
    {
        var input = new DeliveryFilterInput(Range: range);

        Assert.Null(input.ToFilter(Now).Since);
        Assert.Same(DeliveryTimeRange.Any, input.TimeRange);
    }

    [Fact]
    public void AnOutcomeThatIsNotOneOfOursIsFlaggedRatherThanIgnored()
    {
        var input = new DeliveryFilterInput(Outcome: "exploded");

        Assert.True(input.HasUnknownOutcome);
        Assert.False(new DeliveryFilterInput(Outcome: "accepted").HasUnknownOutcome);
        Assert.False(new DeliveryFilterInput().HasUnknownOutcome);
    }

    [Fact]
    public void TheUrlCarriesOnlyWhatIsSetAndReadsBackTheSame()
    {
        var input = new DeliveryFilterInput("acme", null, "repo:push", "rejected", "24h");

        var url = input.ToUrl();

        Assert.Equal("/deliveries?project=acme&event=repo%3Apush&outcome=rejected&range=24h", url);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri("http://x" + url).Query);
        var back = new DeliveryFilterInput(query["project"], null, query["event"], query["outcome"], query["range"]);
        Assert.Equal(input, back);
    }
}
