using Webhooks.Grains.SmartCommits;

namespace Webhooks.UnitTests.SmartCommits;

public sealed class CommandParsingTests
{
    private static readonly IReadOnlyList<System.Text.RegularExpressions.Regex> Default = SmartCommitPattern.Compile(null);

    private static IReadOnlyList<SmartCommitCommand> CommandsOf(string message, string key) =>
        SmartCommitParser.Parse(message, Default).Single(m => m.IssueKey == key).Commands;

    [Fact]
    public void ACommentRunsToTheEndOfTheLine()
    {
        var command = Assert.Single(CommandsOf("JRA-34 #comment corrected indent issue", "JRA-34"));

        Assert.Equal(new SmartCommitCommand("comment", "corrected indent issue"), command);
    }

    [Fact]
    public void TimeIsReadInJiraUnits()
    {
        var command = Assert.Single(CommandsOf("JRA-34 #time 1w 2d 4h 30m Total work logged", "JRA-34"));

        Assert.Equal("time", command.Name);
        Assert.Equal("1w 2d 4h 30m Total work logged", command.Argument);
        Assert.Equal(2400 + 960 + 240 + 30, command.Minutes);
    }

    [Theory]
    [InlineData("1.5h", 90)]
    [InlineData("0.5d", 240)]
    [InlineData("2d 5h", 1260)]
    [InlineData("45m", 45)]
    [InlineData("1W 1D", 2880)]
    public void DurationsMayBeDecimal(string duration, double minutes) => Assert.Equal(minutes, SmartCommitParser.ParseDuration(duration));

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5x")]
    public void NoDurationIsNull(string text) => Assert.Null(SmartCommitParser.ParseDuration(text));

    [Theory]
    [InlineData("JRA-90 #close Fixed this today", "close", "Fixed this today")]
    [InlineData("JRA-90 #resolve", "resolve", "")]
    [InlineData("JRA-90 #finish-work done here", "finish-work", "done here")]
    [InlineData("JRA-90 #Start-Progress", "start-progress", "")]
    public void TransitionsAreTheNameBeforeTheFirstSpace(string message, string name, string argument)
    {
        var command = Assert.Single(CommandsOf(message, "JRA-90"));

        Assert.Equal(name, command.Name);
        Assert.Equal(argument, command.Argument);
        Assert.Null(command.Minutes);
    }

    [Fact]
    public void SeveralCommandsOnOneLine()
    {
        var commands = CommandsOf("JRA-123 #time 2d 5h #comment Task completed ahead of schedule #resolve", "JRA-123");

        Assert.Equal(["time", "comment", "resolve"], commands.Select(c => c.Name));
        Assert.Equal("2d 5h", commands[0].Argument);
        Assert.Equal(1260, commands[0].Minutes);
        Assert.Equal("Task completed ahead of schedule", commands[1].Argument);
        Assert.Equal("", commands[2].Argument);
    }

    [Fact]
    public void ACommandDoesNotSpanLines()
    {
        var commands = CommandsOf("JRA-1 #comment first part\nsecond part is not the comment", "JRA-1");

        Assert.Equal("first part", Assert.Single(commands).Argument);
    }

    [Fact]
    public void EachLineCarriesItsOwnCommands()
    {
        var parsed = SmartCommitParser.Parse("ABC-1 #comment one\nDEF-2 #resolve\nABC-1 #time 1h", SmartCommitPattern.Compile(null));

        Assert.Equal(["comment", "time"], parsed.Single(m => m.IssueKey == "ABC-1").Commands.Select(c => c.Name));
        Assert.Equal(["resolve"], parsed.Single(m => m.IssueKey == "DEF-2").Commands.Select(c => c.Name));
    }

    [Fact]
    public void ACommandAppliesToEveryKeyBeforeItOnItsLine()
    {
        var parsed = SmartCommitParser.Parse("JRA-123 JRA-234 #resolve", SmartCommitPattern.Compile(null));

        Assert.All(parsed, mention => Assert.Equal("resolve", Assert.Single(mention.Commands).Name));
    }

    [Theory]
    [InlineData("ABC-1 see http://example.com/page#section")]
    [InlineData("ABC-1 closes PR #123")]
    [InlineData("#comment before the key ABC-1")]
    public void NotCommands(string message) => Assert.Empty(CommandsOf(message, "ABC-1"));
}
