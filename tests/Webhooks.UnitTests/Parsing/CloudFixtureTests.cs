using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Real Bitbucket Cloud bodies from tests/Fixtures/bitbucket (see the README there).</summary>
public sealed class CloudFixtureTests
{
    [Fact]
    public void CloudPushWithThreeChangesYieldsEveryChange()
    {
        var e = ParseFixture("cloud-repo-push-multiple-changes.json", "repo:push", BitbucketProduct.Cloud);

        Assert.Equal(BitbucketEventKind.Push, e.Kind);
        Assert.Equal(BitbucketProduct.Cloud, e.Product);
        Assert.Equal("repo:push", e.EventKey);
        Assert.Equal("Stephen Connolly", e.Actor);
        Assert.Null(e.OccurredAt);
        Assert.False(e.RefLimitExceeded);
        Assert.Null(e.PullRequest);
        Assert.Equal(3, e.Changes.Count);

        var main = e.Changes[0];
        Assert.Equal((RefKind.Branch, "main", RefChangeType.Update), (main.Kind, main.Name, main.Type));
        Assert.Equal("fc4d1ce2853b6f1ac0d0dbad643d17ef4a6e0be7", main.OldHash);
        Assert.Equal("325d37697849f4b1fe42cb19c20134af08e03a82", main.NewHash);
        Assert.False(main.Forced);
        Assert.False(main.Truncated);
        var typo = Assert.Single(main.Commits);
        Assert.Equal("325d37697849f4b1fe42cb19c20134af08e03a82", typo.Hash);
        Assert.Equal("typo\n", typo.Message);
        Assert.Equal("Stephen Connolly", typo.AuthorName);
        Assert.Equal("stephen.alan.connolly@gmail.com", typo.AuthorEmail);
        Assert.Equal(new DateTimeOffset(2017, 3, 6, 16, 9, 28, TimeSpan.Zero), typo.Timestamp);

        var manchu = e.Changes[1];
        Assert.Equal((RefKind.Branch, "manchu", RefChangeType.Create), (manchu.Kind, manchu.Name, manchu.Type));
        Assert.Null(manchu.OldHash);
        Assert.Equal("e22fcb49645b4586a845938afac5eb3ac1950586", manchu.NewHash);
        Assert.True(manchu.Truncated);
        Assert.Equal(5, manchu.Commits.Count);
        Assert.Equal("e22fcb49645b4586a845938afac5eb3ac1950586", manchu.Commits[0].Hash);
        Assert.Equal("1986c228494671574242f99b62d1a00a4bfb69a5", manchu.Commits[4].Hash);

        var tag = e.Changes[2];
        Assert.Equal((RefKind.Tag, "v0.1", RefChangeType.Create), (tag.Kind, tag.Name, tag.Type));
        Assert.Null(tag.OldHash);
        Assert.Equal("1986c228494671574242f99b62d1a00a4bfb69a5", tag.NewHash);
        Assert.Empty(tag.Commits);

        var repository = Assert.IsType<RepositoryInfo>(e.Repository);
        Assert.Equal("bitbucket.org/cloudbeers/temp", repository.Key);
        Assert.Equal("cloudbeers/temp", repository.FullName);
        Assert.Equal("temp", repository.Name);
        Assert.Equal("https://bitbucket.org/cloudbeers/temp", repository.HtmlUrl);
        Assert.Equal(["https://bitbucket.org/cloudbeers/temp.git"], repository.CloneUrls);
    }

    [Fact]
    public void CloudSignedPushCreatesBranchWithSlashAndFiveCommits()
    {
        var e = ParseFixture("cloud-repo-push-signed.json", "repo:push", BitbucketProduct.Cloud);

        var change = Assert.Single(e.Changes);
        Assert.Equal((RefKind.Branch, "feature/webhook", RefChangeType.Create), (change.Kind, change.Name, change.Type));
        Assert.Null(change.OldHash);
        Assert.Equal("d7f300a32270053bdfd97a6d64113f58202c33e7", change.NewHash);
        Assert.False(change.Truncated);
        Assert.False(change.Forced);
        Assert.Equal(5, change.Commits.Count);
        Assert.Equal("Test for webhook signature\n", change.Commits[0].Message);
        Assert.Equal(("Nikolas Falco", "nfalco79@hotmail.com"), (change.Commits[0].AuthorName, change.Commits[0].AuthorEmail));
        Assert.Equal(("Antonio Muniz", "amuniz@example.com"), (change.Commits[4].AuthorName, change.Commits[4].AuthorEmail));
        Assert.Equal(new DateTimeOffset(2025, 5, 16, 7, 36, 56, TimeSpan.Zero), change.Commits[0].Timestamp);
        Assert.Equal("bitbucket.org/nfalco79/test-repos", e.Repository?.Key);
        Assert.Equal("Nikolas Falco", e.Actor);
    }

    [Fact]
    public void CloudBranchDeleteHasOldHashAndNoNewHash()
    {
        var e = ParseFixture("cloud-repo-push-branch-delete.json", "repo:push", BitbucketProduct.Cloud);

        var change = Assert.Single(e.Changes);
        Assert.Equal((RefKind.Branch, "develop", RefChangeType.Delete), (change.Kind, change.Name, change.Type));
        Assert.Equal("141977fedf5cf35aa290ac87d4b5177ac4cd9de1", change.OldHash);
        Assert.Null(change.NewHash);
        Assert.Empty(change.Commits);
        Assert.Equal("bitbucket.org/brydzewski/foo", e.Repository?.Key);
        Assert.Equal("Brad Rydzewski", e.Actor);
    }

    [Fact]
    public void CloudTagWhoseNameHasASlashKeepsTheWholeName()
    {
        var e = ParseFixture("cloud-repo-push-tag-create.json", "repo:push", BitbucketProduct.Cloud);

        var change = Assert.Single(e.Changes);
        Assert.Equal((RefKind.Tag, "feature/x", RefChangeType.Create), (change.Kind, change.Name, change.Type));
        Assert.Equal("141977fedf5cf35aa290ac87d4b5177ac4cd9de1", change.NewHash);
        Assert.Null(change.OldHash);
    }

    [Fact]
    public void CloudPullRequestCreatedCarriesBranchesAndShortCommits()
    {
        var e = ParseFixture("cloud-pullrequest-created.json", "pullrequest:created", BitbucketProduct.Cloud);

        Assert.Equal(BitbucketEventKind.PullRequest, e.Kind);
        Assert.Empty(e.Changes);
        Assert.Equal("bitbucket.org/brydzewski/foo", e.Repository?.Key);
        var pr = Assert.IsType<PullRequestInfo>(e.PullRequest);
        Assert.Equal(1, pr.Id);
        Assert.Equal("Awesome new feature", pr.Title);
        Assert.Equal("OPEN", pr.State);
        Assert.Equal(("develop", "507a576e59b3"), (pr.SourceBranch, pr.SourceCommit));
        Assert.Equal(("master", "7d1a175411ef"), (pr.TargetBranch, pr.TargetCommit));
        Assert.Null(pr.MergeCommit);
        Assert.Equal("https://bitbucket.org/brydzewski/foo/pull-requests/1", pr.Url);
        Assert.Equal(DateTimeOffset.Parse("2018-07-02T21:51:39.532546+00:00", System.Globalization.CultureInfo.InvariantCulture), e.OccurredAt);
    }
}
