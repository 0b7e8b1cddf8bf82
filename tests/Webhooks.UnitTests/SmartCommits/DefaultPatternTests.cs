using Webhooks.Grains.SmartCommits;

namespace Webhooks.UnitTests.SmartCommits;

public sealed class DefaultPatternTests
{
    private static readonly IReadOnlyList<System.Text.RegularExpressions.Regex> Default = SmartCommitPattern.Compile(null);

    [Theory]
    // At the start, in the middle, at the end.
    [InlineData("ABC-123 fix the build", "ABC-123")]
    [InlineData("fix ABC-123 in the build", "ABC-123")]
    [InlineData("fix the build for ABC-123", "ABC-123")]
    [InlineData("fix the build for ABC-123.", "ABC-123")]
    [InlineData("ABC-123: fix", "ABC-123")]
    [InlineData("(ABC-123) fix", "ABC-123")]
    // In brackets, ARM's example form.
    [InlineData("[ABC-123] add README", "ABC-123")]
    [InlineData("[PROJECT-123] add README", "PROJECT-123")]
    // In branch names and merge messages.
    [InlineData("Merge branch 'feature/ABC-123-x' into main", "ABC-123")]
    [InlineData("Merged in feature/ABC-12-desc (pull request #7)", "ABC-12")]
    [InlineData("bugfix/ABC-9_hotfix", "")]
    // Several per message, each once.
    [InlineData("ABC-1 and DEF-2", "ABC-1,DEF-2")]
    [InlineData("ABC-1, ABC-1 again, then XY-22", "ABC-1,XY-22")]
    [InlineData("JRA-123 JRA-234 JRA-345 #resolve", "JRA-123,JRA-234,JRA-345")]
    // Admin-allowed key formats: digits and underscores after the first letter.
    [InlineData("X_Y2-7 works", "X_Y2-7")]
    [InlineData("AB1-5 works", "AB1-5")]
    // Not keys.
    [InlineData("fixes CVE-2024-1234", "")]
    [InlineData("see CVE-2021-44228 and ABC-5", "ABC-5")]
    [InlineData("lower case abc-123", "")]
    [InlineData("Mixed Abc-123", "")]
    [InlineData("blahABC-12 is glued", "")]
    [InlineData("ABC-0123 has a leading zero", "")]
    [InlineData("A-1 is one letter", "")]
    [InlineData("ABC-12a is glued", "")]
    [InlineData("no key here, just #comment text", "")]
    // Key-shaped words are keys to Jira too.
    [InlineData("version 1-2-3 and UTF-8", "UTF-8")]
    [InlineData("ABC-", "")]
    // Followed by commands.
    [InlineData("ABC-123 #comment corrected indent issue", "ABC-123")]
    [InlineData("ABC-123#comment glued", "ABC-123")]
    // Multi-line.
    [InlineData("Refactor parser\n\nABC-7 #time 2h\r\nDEF-8 #resolve", "ABC-7,DEF-8")]
    [InlineData("first line\nsecond line mentions QA-42\nthird", "QA-42")]
    public void FindsJiraKeys(string message, string expected)
    {
        var keys = SmartCommitParser.Parse(message, Default).Select(m => m.IssueKey);

        Assert.Equal(expected, string.Join(",", keys));
    }

    [Fact]
    public void TheDefaultPatternPassesItsOwnValidation() => Assert.Null(SmartCommitPattern.Validate(SmartCommitPattern.Default));
}
