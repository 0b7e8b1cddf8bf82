using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Grains receive the parsed event, so it must survive Orleans serialisation intact.</summary>
public sealed class BitbucketEventSerializationTests
{
    private static readonly RefChange[] NoChanges = [];
    private static readonly string[] NoUrls = [];
    private static readonly CommitInfo[] NoCommits = [];

    [Theory]
    [InlineData("cloud-repo-push-multiple-changes.json", "repo:push", BitbucketProduct.Cloud)]
    [InlineData("server-repo-refs_changed-jenkins.json", "repo:refs_changed", BitbucketProduct.DataCenter)]
    [InlineData("server-pr-opened-gp.json", "pr:opened", BitbucketProduct.DataCenter)]
    [InlineData("server-mirror-repo_synchronized-refLimitExceeded.json", "mirror:repo_synchronized", BitbucketProduct.DataCenter)]
    public void ParsedEventRoundTripsThroughOrleansSerializer(string file, string eventKey, BitbucketProduct product)
    {
        var original = ParseFixture(file, eventKey, product);
        using var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer<BitbucketEvent>>();

        var copy = serializer.Deserialize(serializer.SerializeToArray(original));

        Assert.NotNull(copy);

        // Records compare lists by reference: swap in one shared empty list, then compare the lists by content.
        Assert.Equal(original with { Changes = NoChanges, Repository = null }, copy with { Changes = NoChanges, Repository = null });
        Assert.Equal(original.Repository! with { CloneUrls = NoUrls }, copy.Repository! with { CloneUrls = NoUrls });
        Assert.Equal(original.Repository.CloneUrls, copy.Repository.CloneUrls);
        Assert.Equal(original.Changes.Count, copy.Changes.Count);
        for (var i = 0; i < original.Changes.Count; i++)
        {
            Assert.Equal(original.Changes[i] with { Commits = NoCommits }, copy.Changes[i] with { Commits = NoCommits });
            Assert.Equal(original.Changes[i].Commits, copy.Changes[i].Commits);
        }
    }
}
