using Webhooks.Grains.Refresh;
using Webhooks.Grains.Discovery;

namespace Webhooks.UnitTests.Discovery;

public sealed class LsRemoteOutputTests
{
    private const string Commit = "1111111111111111111111111111111111111111";
    private const string TagObject = "2222222222222222222222222222222222222222";
    private const string Other = "ABCDEFabcdef0123456789abcdef0123456789ab";

    [Fact]
    public void AnnotatedTagsArePeeledAndEveryRefListedOnce()
    {
        var output = $"{Commit}\trefs/heads/main\n{TagObject}\trefs/tags/v1\n{Commit}\trefs/tags/v1^{{}}\n{Other}\trefs/tags/light\n";

        var refs = LsRemoteOutput.Parse(output);

        Assert.Equal(
            [
                new RemoteRef("refs/heads/main", Commit),
                new RemoteRef("refs/tags/light", Other.ToLowerInvariant()),
                new RemoteRef("refs/tags/v1", Commit),
            ],
            refs);
    }

    [Fact]
    public void NoiseLineEndingsAndSha256AreTolerated()
    {
        var sha256 = new string('a', 64);
        var output = $"warning: redirecting to https://example.com/repo.git/\r\n\r\n{Commit} refs/heads/spaced\r\n{sha256}\trefs/heads/sha256\r\nnot-a-sha\trefs/heads/x\n{Commit}\tHEAD\n";

        var refs = LsRemoteOutput.Parse(output);

        Assert.Equal([new RemoteRef("HEAD", Commit), new RemoteRef("refs/heads/sha256", sha256), new RemoteRef("refs/heads/spaced", Commit)], refs);
    }

    [Fact]
    public void SymrefNamesTheBranchHeadPointsAt()
    {
        var output = $"ref: refs/heads/develop\tHEAD\n{Commit}\tHEAD\n{Commit}\trefs/heads/develop\n{Commit}\trefs/heads/main\n";

        var refs = LsRemoteOutput.Parse(output);

        Assert.Equal(new RemoteRef("HEAD", Commit, "refs/heads/develop"), refs[0]);
        Assert.Equal("develop", RefSelector.DefaultBranch(refs));
    }

    [Fact]
    public void AnEmptyRepositoryHasNoRefs() => Assert.Empty(LsRemoteOutput.Parse(""));
}
