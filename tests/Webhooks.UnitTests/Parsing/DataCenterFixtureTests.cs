using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Real Bitbucket Data Center (Server) bodies from tests/Fixtures/bitbucket (see the README there).</summary>
public sealed class DataCenterFixtureTests
{
    [Fact]
    public void DataCenterUpdateWithTopLevelCommitsAttachesThemToTheBranch()
    {
        var e = ParseFixture("server-repo-refs_changed-jenkins.json", "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.Push, e.Kind);
        Assert.Equal(BitbucketProduct.DataCenter, e.Product);
        Assert.Equal("Antonio Muniz", e.Actor);
        Assert.Equal(new DateTimeOffset(2024, 11, 27, 1, 34, 45, TimeSpan.Zero), e.OccurredAt);

        var change = Assert.Single(e.Changes);
        Assert.Equal((RefKind.Branch, "main", RefChangeType.Update), (change.Kind, change.Name, change.Type));
        Assert.Equal("a8c13e8850dc60300be720019d1ffc1aa2fded87", change.OldHash);
        Assert.Equal("9fdd7b96d3f5c276d0b9e0bf38c879eb112d889a", change.NewHash);
        var commit = Assert.Single(change.Commits);
        Assert.Equal("9fdd7b96d3f5c276d0b9e0bf38c879eb112d889a", commit.Hash);
        Assert.Equal("source-2: Wed 13 Nov 2024 21:54:36 AEST", commit.Message);
        Assert.Equal(("Antonio Muniz", "amuniz@acme.com"), (commit.AuthorName, commit.AuthorEmail));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1731498876000), commit.Timestamp);

        var repository = Assert.IsType<RepositoryInfo>(e.Repository);
        Assert.Equal("localhost/amuniz/test-repos", repository.Key);
        Assert.Equal("AMUNIZ/test-repos", repository.FullName);
        Assert.Equal("test-repos", repository.Name);
        Assert.Equal("http://localhost:7990/projects/AMUNIZ/repos/test-repos/browse", repository.HtmlUrl);
        Assert.Equal(["http://localhost:7990/scm/amuniz/test-repos.git", "ssh://git@localhost:7999/amuniz/test-repos.git"], repository.CloneUrls);
    }

    [Fact]
    public void DataCenterDeleteInPersonalProjectHasNoNewHash()
    {
        var e = ParseFixture("server-repo-refs_changed-gp.json", "repo:refs_changed", BitbucketProduct.DataCenter);

        var change = Assert.Single(e.Changes);
        Assert.Equal((RefKind.Branch, "feature/wip", RefChangeType.Delete), (change.Kind, change.Name, change.Type));
        Assert.Equal("32a0b8a740c2963c6f56bd8baf3dc05683d299e0", change.OldHash);
        Assert.Null(change.NewHash);
        Assert.Empty(change.Commits);
        Assert.Equal("server.bitbucket.local/~gopher/webhook-test", e.Repository?.Key);
        Assert.Equal("~gopher/webhook-test", e.Repository?.FullName);
        Assert.Equal(new DateTimeOffset(2019, 3, 1, 10, 37, 14, TimeSpan.FromHours(1)), e.OccurredAt);
        Assert.Equal("Foo Bar", e.Actor);
    }

    [Fact]
    public void OldDataCenterPayloadWithoutLinksUsesTheReceiverServerUrl()
    {
        var e = ParseFixture("server-repo-refs_changed-update.json", "repo:refs_changed", BitbucketProduct.DataCenter,
            serverUrl: "https://git.example.com/bitbucket/");

        var change = Assert.Single(e.Changes);
        Assert.Equal((RefKind.Branch, "master", RefChangeType.Update), (change.Kind, change.Name, change.Type));
        Assert.Equal("5c64a07cd6c0f21b753bf261ef059c7e7633c50a", change.OldHash);
        Assert.Equal("823b2230a56056231c9425d63758fa87078a66b4", change.NewHash);
        Assert.Empty(change.Commits);

        var repository = Assert.IsType<RepositoryInfo>(e.Repository);
        Assert.Equal("git.example.com/prj/my-repo", repository.Key);
        Assert.Equal("PRJ/my-repo", repository.FullName);
        Assert.Equal(["https://git.example.com/bitbucket/scm/prj/my-repo.git"], repository.CloneUrls);
        Assert.Equal("https://git.example.com/bitbucket/projects/PRJ/repos/my-repo/browse", repository.HtmlUrl);
        Assert.Equal(new DateTimeOffset(2018, 7, 5, 18, 22, 0, TimeSpan.Zero), e.OccurredAt);
        Assert.Equal("Jane Citizen", e.Actor);
    }

    [Fact]
    public void OldDataCenterPayloadWithoutLinksOrServerUrlFailsWithAHint()
    {
        var error = Fail(Grains.Events.Parsing.BitbucketEventParser.Parse(
            Fixture("server-repo-refs_changed-update.json"), "repo:refs_changed", BitbucketProduct.DataCenter, null));

        Assert.Equal("payload has no repository links; set the receiver's serverUrl", error);
    }

    [Fact]
    public void MirrorSyncOverTheRefLimitAsksForAFullRefresh()
    {
        var e = ParseFixture("server-mirror-repo_synchronized-refLimitExceeded.json", "mirror:repo_synchronized", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.MirrorSynchronized, e.Kind);
        Assert.True(e.RefLimitExceeded);
        Assert.Empty(e.Changes);
        Assert.Equal("localhost/amuniz/test-repos", e.Repository?.Key);
    }

    [Fact]
    public void DataCenterPullRequestOpenedCarriesRefsAndLink()
    {
        var e = ParseFixture("server-pr-opened-gp.json", "pr:opened", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.PullRequest, e.Kind);
        Assert.Empty(e.Changes);
        Assert.Equal("server.bitbucket.local/~gopher/webhook-test", e.Repository?.Key);
        var pr = Assert.IsType<PullRequestInfo>(e.PullRequest);
        Assert.Equal(5, pr.Id);
        Assert.Equal("Update README", pr.Title);
        Assert.Equal("OPEN", pr.State);
        Assert.Equal(("feature/wip", "32a0b8a740c2963c6f56bd8baf3dc05683d299e0"), (pr.SourceBranch, pr.SourceCommit));
        Assert.Equal(("master", "cde6c45a4210afe81638aa1f3aa960d633c66a90"), (pr.TargetBranch, pr.TargetCommit));
        Assert.Null(pr.MergeCommit);
        Assert.Equal("https://server.bitbucket.local/users/gopher/repos/webhook-test/pull-requests/5", pr.Url);
        Assert.Equal(new DateTimeOffset(2019, 3, 1, 10, 31, 15, TimeSpan.FromHours(1)), e.OccurredAt);
    }

    [Fact]
    public void DiagnosticsPingIsAPingWithoutRepository()
    {
        var e = ParseFixture("server-diagnostics-ping.json", "diagnostics:ping", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.Ping, e.Kind);
        Assert.Null(e.Repository);
        Assert.Empty(e.Changes);
    }

    [Theory]
    [InlineData("cloud-pullrequest-created.json", "pullrequest:created", BitbucketProduct.Cloud)]
    [InlineData("cloud-repo-push-branch-delete.json", "repo:push", BitbucketProduct.Cloud)]
    [InlineData("cloud-repo-push-multiple-changes.json", "repo:push", BitbucketProduct.Cloud)]
    [InlineData("cloud-repo-push-signed.json", "repo:push", BitbucketProduct.Cloud)]
    [InlineData("cloud-repo-push-tag-create.json", "repo:push", BitbucketProduct.Cloud)]
    [InlineData("server-diagnostics-ping.json", "diagnostics:ping", BitbucketProduct.DataCenter)]
    [InlineData("server-mirror-repo_synchronized-refLimitExceeded.json", "mirror:repo_synchronized", BitbucketProduct.DataCenter)]
    [InlineData("server-pr-opened-gp.json", "pr:opened", BitbucketProduct.DataCenter)]
    [InlineData("server-repo-refs_changed-gp.json", "repo:refs_changed", BitbucketProduct.DataCenter)]
    [InlineData("server-repo-refs_changed-jenkins.json", "repo:refs_changed", BitbucketProduct.DataCenter)]
    public void EveryFixtureParsesUnderItsEventKey(string file, string eventKey, BitbucketProduct product)
    {
        var e = ParseFixture(file, eventKey, product);

        Assert.Equal(eventKey, e.EventKey);
        Assert.Equal(product, e.Product);
        Assert.All(e.Changes, change => Assert.DoesNotContain("refs/", change.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFixtureFileIsCoveredByATest()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket"), "*.json")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);

        // The "update" fixture needs a server URL and has its own tests above; the theory covers the rest.
        Assert.Equal(
            [
                "cloud-pullrequest-created.json", "cloud-repo-push-branch-delete.json", "cloud-repo-push-multiple-changes.json",
                "cloud-repo-push-signed.json", "cloud-repo-push-tag-create.json", "server-diagnostics-ping.json",
                "server-mirror-repo_synchronized-refLimitExceeded.json", "server-pr-opened-gp.json",
                "server-repo-refs_changed-gp.json", "server-repo-refs_changed-jenkins.json", "server-repo-refs_changed-update.json",
            ],
            files);
    }
}
