using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Events;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;

namespace Webhooks.UnitTests.Refresh;

public sealed class PushRoutingTests
{
    private const string Key = "bitbucket.org/acme/api";
    private static readonly RepositoryInfo Repository = new(Key, "acme/api", "api", null, []);
    private static readonly Guid Delivery = Guid.NewGuid();

    private static SubscriptionRule Rule(Guid warehouse, string? branch = null, string? tag = null, string key = Key) =>
        new(warehouse, Guid.NewGuid(), key, "https://" + key, branch, tag, DiscoveryMode.Payload);

    private static RefChange Change(string name, RefChangeType type = RefChangeType.Update, RefKind kind = RefKind.Branch, string? newHash = "n") =>
        new(kind, name, type, "o", type == RefChangeType.Delete ? null : newHash, false, false,
            newHash is null ? [] : [new CommitInfo(newHash, "Message\n", "Dev", "dev@example.com", null)]);

    private static BitbucketEvent Push(params RefChange[] changes) =>
        new(BitbucketProduct.Cloud, "repo:push", BitbucketEventKind.Push, Repository, changes, false, null, "Dev", null);

    [Fact]
    public void EveryMatchingChangeBecomesAHeadOfItsWarehouse()
    {
        var warehouse = Guid.NewGuid();
        var triggers = PushRouting.Route(Delivery, Push(Change("main", newHash: "m1"), Change("release/1", newHash: "r1"), Change("other")),
            [Rule(warehouse, branch: "main"), Rule(warehouse, branch: "release/*")]);

        var trigger = Assert.Single(triggers).Value;
        Assert.Equal(RefreshReason.Push, trigger.Reason);
        Assert.Equal(Delivery, trigger.DeliveryId);
        Assert.Equal(["refs/heads/main", "refs/heads/release/1"], trigger.Heads.Select(h => h.Ref));
        Assert.Equal("Message", trigger.Heads[0].Message);
        Assert.Equal("Dev", trigger.Heads[0].Author);
    }

    [Fact]
    public void DeletionsRefreshNothing()
    {
        var triggers = PushRouting.Route(Delivery, Push(Change("main", RefChangeType.Delete), Change("v1", RefChangeType.Delete, RefKind.Tag)),
            [Rule(Guid.NewGuid(), branch: "**", tag: "**")]);

        Assert.Empty(triggers);
    }

    [Fact]
    public void OtherRepositoriesAndUnfollowedRefsAreIgnored()
    {
        var triggers = PushRouting.Route(Delivery, Push(Change("feature/x")),
            [Rule(Guid.NewGuid(), branch: "main"), Rule(Guid.NewGuid(), branch: "**", key: "bitbucket.org/acme/other")]);

        Assert.Empty(triggers);
    }

    [Fact]
    public void MirrorBeyondItsRefLimitRefreshesEverySubscriber()
    {
        var mirror = new BitbucketEvent(BitbucketProduct.DataCenter, "mirror:repo_synchronized", BitbucketEventKind.MirrorSynchronized,
            Repository, [], true, null, null, null);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());

        var triggers = PushRouting.Route(Delivery, mirror, [Rule(first, branch: "main"), Rule(second, tag: "v*")]);

        Assert.Equal(new[] { first, second }.Order(), triggers.Keys.Order());
        Assert.All(triggers.Values, t => Assert.Equal(RefreshReason.Mirror, t.Reason));
    }

    [Fact]
    public void PullRequestsRouteNowhere()
    {
        var pr = new BitbucketEvent(BitbucketProduct.Cloud, "pullrequest:created", BitbucketEventKind.PullRequest, Repository, [], false, null, null, null);

        Assert.Empty(PushRouting.Route(Delivery, pr, [Rule(Guid.NewGuid(), branch: "**")]));
    }
}
