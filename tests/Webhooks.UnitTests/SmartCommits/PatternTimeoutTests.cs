using System.Text.RegularExpressions;
using Webhooks.Grains.SmartCommits;

namespace Webhooks.UnitTests.SmartCommits;

/// <summary>A project pattern that slips past validation and backtracks on a crafted commit message.</summary>
public sealed class PatternTimeoutTests
{
    // Catastrophic on a run of x; validation's probes hold no such run, so it is saved.
    private const string Crafted = "((?:x|xx)+)+y";

    [Fact]
    public void TheCraftedPatternPassesValidation() => Assert.Null(SmartCommitPattern.Validate(Crafted));

    [Fact]
    public void APatternThatTimesOutFindsNothingMoreInThatPushWhileTheOthersKeepMatching()
    {
        var patterns = SmartCommitPattern.Compile([Crafted, SmartCommitPattern.Default]);
        var timedOut = new HashSet<Regex>();

        var first = SmartCommitParser.Parse(new string('x', 60) + "\nABC-1 xxy", patterns, timedOut);
        var second = SmartCommitParser.Parse("DEF-2 xxy", patterns, timedOut);

        Assert.Same(patterns[0], Assert.Single(timedOut));
        Assert.Equal(["ABC-1"], first.Select(m => m.IssueKey));
        Assert.Equal(["DEF-2"], second.Select(m => m.IssueKey));
        // The next push tries the pattern again: it is only skipped where it already timed out.
        Assert.Equal(["DEF-2", "xx"], SmartCommitParser.Parse("DEF-2 xxy", patterns, new HashSet<Regex>()).Select(m => m.IssueKey));
    }
}
