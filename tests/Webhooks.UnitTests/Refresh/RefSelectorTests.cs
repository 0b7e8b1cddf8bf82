using Webhooks.Grains.Discovery;
using Webhooks.Grains.Events;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;

namespace Webhooks.UnitTests.Refresh;

public sealed class RefSelectorTests
{
    private static SubscriptionRule Rule(string? branch = null, string? tag = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "bitbucket.org/acme/api", "https://bitbucket.org/acme/api.git", branch, tag, DiscoveryMode.Git);

    [Fact]
    public void NoPatternFollowsMainOrMasterWhenTheDefaultBranchIsUnknown()
    {
        Assert.True(RefSelector.Selects(Rule(), RefKind.Branch, "main"));
        Assert.True(RefSelector.Selects(Rule(), RefKind.Branch, "master"));
        Assert.False(RefSelector.Selects(Rule(), RefKind.Branch, "develop"));
        Assert.False(RefSelector.Selects(Rule(), RefKind.Tag, "main"));
    }

    [Fact]
    public void BranchPatternsSelectBranchesAndTagPatternsTags()
    {
        Assert.True(RefSelector.Selects(Rule(branch: "v*"), RefKind.Branch, "v1"));
        Assert.False(RefSelector.Selects(Rule(branch: "v*"), RefKind.Tag, "v1"));
        Assert.True(RefSelector.Selects(Rule(tag: "v*"), RefKind.Tag, "v1"));
        Assert.False(RefSelector.Selects(Rule(tag: "v*"), RefKind.Branch, "v1"));
        Assert.True(RefSelector.Selects(Rule(branch: "main", tag: "v*"), RefKind.Branch, "main"));
        Assert.True(RefSelector.Selects(Rule(branch: "main", tag: "v*"), RefKind.Tag, "v2"));
    }

    [Fact]
    public void ListingWithoutPatternFollowsTheBranchHeadPointsAt()
    {
        RemoteRef[] refs =
        [
            new("HEAD", "aaa"),
            new("refs/heads/develop", "aaa"),
            new("refs/heads/main", "bbb"),
        ];

        Assert.Equal("develop", RefSelector.DefaultBranch(refs));
        Assert.Equal([new RemoteRef("refs/heads/develop", "aaa")], RefSelector.SelectListed(Rule(), refs));
    }

    [Fact]
    public void ListingPrefersMainWhenSeveralBranchesShareHeadsCommit()
    {
        RemoteRef[] refs = [new("HEAD", "aaa"), new("refs/heads/develop", "aaa"), new("refs/heads/main", "aaa")];

        Assert.Equal("main", RefSelector.DefaultBranch(refs));
    }

    [Fact]
    public void ListingWithoutHeadFallsBackToMainOrMaster()
    {
        RemoteRef[] refs = [new("refs/heads/master", "ccc"), new("refs/heads/develop", "ddd")];

        Assert.Equal([new RemoteRef("refs/heads/master", "ccc")], RefSelector.SelectListed(Rule(), refs));
    }

    [Fact]
    public void AnnotatedTagsResolveToTheCommitTheyPeelTo()
    {
        RemoteRef[] refs = [new("refs/tags/v1", "tagobject"), new("refs/tags/v1^{}", "commit1"), new("refs/tags/v2", "commit2")];

        var selected = RefSelector.SelectListed(Rule(tag: "v*"), refs).OrderBy(r => r.Name).ToList();

        Assert.Equal([new RemoteRef("refs/tags/v1", "commit1"), new RemoteRef("refs/tags/v2", "commit2")], selected);
    }
}
