using Webhooks.Grains.Refresh;

namespace Webhooks.UnitTests.Refresh;

public sealed class RefPatternTests
{
    [Theory]
    [InlineData("main", "main", true)]
    [InlineData("main", "main2", false)]
    [InlineData("release/*", "release/1.0", true)]
    [InlineData("release/*", "release/1.0/hotfix", false)]
    [InlineData("release/*", "release", false)]
    [InlineData("release/**", "release/1.0/hotfix", true)]
    [InlineData("**", "feature/a/b", true)]
    [InlineData("**/fix", "fix", true)]
    [InlineData("**/fix", "team/a/fix", true)]
    [InlineData("v?.*", "v1.2", true)]
    [InlineData("v?.*", "v10.2", false)]
    [InlineData("v*", "v1.2.3", true)]
    [InlineData("v*", "release/v1", false)]
    [InlineData("feature.x", "featureXx", false)]
    [InlineData("Main", "main", false)]
    [InlineData("(a)+", "(a)+", true)]
    public void GlobMatchesShortRefNames(string pattern, string name, bool matches) =>
        Assert.Equal(matches, RefPattern.Matches(pattern, name));

    [Theory]
    [InlineData("main", true)]
    [InlineData("release/*", true)]
    [InlineData("", false)]
    [InlineData(" ", false)]
    [InlineData("a b", false)]
    [InlineData("a\\b", false)]
    [InlineData("refs~1", false)]
    [InlineData(null, false)]
    public void OnlyGitRefCharactersMakeAValidPattern(string? pattern, bool valid) =>
        Assert.Equal(valid, RefPattern.IsValid(pattern));
}
