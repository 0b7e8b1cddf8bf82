using System.Text.Json;
using Webhooks.Grains.Events.Parsing;

namespace Webhooks.UnitTests.Parsing;

public sealed class BitbucketTimestampTests
{
    [Theory]
    [InlineData("2017-09-19T09:45:32+1000", 2017, 9, 19, 9, 45, 32, 0, 10 * 60)]
    [InlineData("2017-09-19T09:45:32-0530", 2017, 9, 19, 9, 45, 32, 0, -(5 * 60 + 30))]
    [InlineData("2024-11-27T01:34:45+0000", 2024, 11, 27, 1, 34, 45, 0, 0)]
    [InlineData("2018-09-21T14:09:51.000Z", 2018, 9, 21, 14, 9, 51, 0, 0)]
    [InlineData("2018-09-21T14:09:51Z", 2018, 9, 21, 14, 9, 51, 0, 0)]
    [InlineData("2017-03-06T16:09:28+00:00", 2017, 3, 6, 16, 9, 28, 0, 0)]
    [InlineData("2018-07-02T21:51:39.532+02:00", 2018, 7, 2, 21, 51, 39, 532, 120)]
    [InlineData("2018-07-02T21:51:39.532+0200", 2018, 7, 2, 21, 51, 39, 532, 120)]
    [InlineData("1537538991000", 2018, 9, 21, 14, 9, 51, 0, 0)]
    public void ReadsEveryFormBitbucketSends(string text, int year, int month, int day, int hour, int minute, int second, int millisecond, int offsetMinutes)
    {
        var expected = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.FromMinutes(offsetMinutes));

        var parsed = BitbucketTimestamp.Parse(text);

        Assert.Equal(expected, parsed);
        Assert.Equal(expected.Offset, parsed?.Offset);
    }

    [Fact]
    public void ReadsEpochMillisecondsNumber()
    {
        using var document = JsonDocument.Parse("1731498876000");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1731498876000), BitbucketTimestamp.Read(document.RootElement));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2017-13-45T99:99:99+1000")]
    [InlineData("99999999999999999999")]
    public void UnreadableTextIsNull(string text) => Assert.Null(BitbucketTimestamp.Parse(text));

    [Theory]
    [InlineData("-5")]
    [InlineData("1e400")]
    [InlineData("true")]
    [InlineData("{}")]
    public void UnreadableJsonIsNull(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Null(BitbucketTimestamp.Read(document.RootElement));
    }
}
