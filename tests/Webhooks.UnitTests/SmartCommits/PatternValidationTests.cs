using System.Diagnostics;
using Webhooks.Grains.SmartCommits;

namespace Webhooks.UnitTests.SmartCommits;

public sealed class PatternValidationTests
{
    [Theory]
    [InlineData(@"\[(\w+-\d+)\]")]
    [InlineData(@"(?<key>[A-Z]+-\d+)")]
    [InlineData(@"(?:fix|close)\s+(\d+)")]
    [InlineData(@"project(\d+)")]
    public void UsablePatternsPass(string pattern) => Assert.Null(SmartCommitPattern.Validate(pattern));

    [Theory]
    [InlineData(@"[A-Z]+-\d+", "exactly one capture group")]
    [InlineData(@"([A-Z]+)-(\d+)", "exactly one capture group")]
    [InlineData(@"(?<project>[A-Z]+)-(?<number>\d+)", "it has 2")]
    [InlineData(@"([A-Z]+-\d+", "does not compile")]
    [InlineData(@"(\p{NoSuchCategory})", "does not compile")]
    [InlineData("", "empty")]
    public void BrokenPatternsAreRefusedWithTheReason(string pattern, string reason) =>
        Assert.Contains(reason, SmartCommitPattern.Validate(pattern));

    [Theory]
    [InlineData(@"(a+)+$")]
    [InlineData(@"^(\w+\s?)*$")]
    [InlineData(@"((?:a|aa)+)+b")]
    [InlineData(@"(\d*)*!?x")]
    public void CatastrophicBacktrackingIsRefusedQuickly(string pattern)
    {
        var watch = Stopwatch.StartNew();

        var reason = SmartCommitPattern.Validate(pattern);

        Assert.Contains("catastrophic backtracking", reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"validation took {watch.Elapsed}");
    }

    [Fact]
    public void ATooLongPatternIsRefused() =>
        Assert.Contains("longer than", SmartCommitPattern.Validate("(" + new string('a', 600) + ")"));

    [Fact]
    public void ACustomPatternFindsItsCapture()
    {
        var patterns = SmartCommitPattern.Compile([@"\[(project\d+)\]"]);

        var mention = Assert.Single(SmartCommitParser.Parse("git commit m [project123] # add README file", patterns));

        Assert.Equal("project123", mention.IssueKey);
    }
}
