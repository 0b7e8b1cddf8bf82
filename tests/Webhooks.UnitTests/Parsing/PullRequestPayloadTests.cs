using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

public sealed class PullRequestPayloadTests
{
    [Fact]
    public void CloudFulfilledCarriesMergeCommitAndTarget()
    {
        var json = """
            {"pullrequest": {"id": 42, "title": "Ship it", "state": "MERGED",
               "source": {"branch": {"name": "feature/ship"}, "commit": {"hash": "507a576e59b3"}},
               "destination": {"branch": {"name": "main"}, "commit": {"hash": "7d1a175411ef"}},
               "merge_commit": {"hash": "ab12cd34ef56", "type": "commit"},
               "links": {"html": {"href": "https://bitbucket.org/acme/api/pull-requests/42"}},
               "updated_on": "2024-02-03T04:05:06.789+00:00", "closed_by": {"display_name": "Ada"}},
             "repository": {"full_name": "acme/api", "links": {"html": {"href": "https://bitbucket.org/acme/api"}}},
             "actor": {"display_name": "Ada"}}
            """;

        var e = ParseJson(json, "pullrequest:fulfilled", BitbucketProduct.Cloud);

        Assert.Equal(BitbucketEventKind.PullRequest, e.Kind);
        var pr = Assert.IsType<PullRequestInfo>(e.PullRequest);
        Assert.Equal((42L, "MERGED"), (pr.Id, pr.State));
        Assert.Equal(("main", "7d1a175411ef"), (pr.TargetBranch, pr.TargetCommit));
        Assert.Equal("ab12cd34ef56", pr.MergeCommit);
        Assert.Equal("bitbucket.org/acme/api", e.Repository?.Key);
        Assert.Equal(new DateTimeOffset(2024, 2, 3, 4, 5, 6, 789, TimeSpan.Zero), e.OccurredAt);
    }

    [Fact]
    public void DataCenterMergedCarriesMergeCommitAndTarget()
    {
        var json = """
            {"eventKey": "pr:merged", "date": "2024-02-03T14:05:06+1000", "actor": {"name": "jdoe", "displayName": "Jane Doe"},
             "pullRequest": {"id": 7, "version": 3, "title": "Ship it", "state": "MERGED", "open": false, "closed": true,
               "fromRef": {"id": "refs/heads/feature/ship", "displayId": "feature/ship", "latestCommit": "32a0b8a740c2963c6f56bd8baf3dc05683d299e0"},
               "toRef": {"id": "refs/heads/main", "displayId": "main", "latestCommit": "cde6c45a4210afe81638aa1f3aa960d633c66a90",
                         "repository": {"slug": "repo", "project": {"key": "PROJ"},
                                        "links": {"self": [{"href": "https://git.example.com/projects/PROJ/repos/repo/browse"}]}}},
               "properties": {"mergeCommit": {"displayId": "8d51122def5", "id": "8d51122def5632836d1cb1026e879069e10a1e13"}},
               "links": {"self": [{"href": "https://git.example.com/projects/PROJ/repos/repo/pull-requests/7"}]}}}
            """;

        var e = ParseJson(json, "pr:merged", BitbucketProduct.DataCenter);

        var pr = Assert.IsType<PullRequestInfo>(e.PullRequest);
        Assert.Equal(("main", "cde6c45a4210afe81638aa1f3aa960d633c66a90"), (pr.TargetBranch, pr.TargetCommit));
        Assert.Equal("8d51122def5632836d1cb1026e879069e10a1e13", pr.MergeCommit);
        Assert.Equal(("feature/ship", "MERGED"), (pr.SourceBranch, pr.State));
        Assert.Equal("https://git.example.com/projects/PROJ/repos/repo/pull-requests/7", pr.Url);
        Assert.Equal("git.example.com/proj/repo", e.Repository?.Key);
        Assert.Equal("Jane Doe", e.Actor);
    }

    [Fact]
    public void CloudPullRequestWithoutDestinationBranchFails()
    {
        var error = FailJson("""
            {"pullrequest": {"id": 1, "source": {"branch": {"name": "a"}}}, "repository": {"full_name": "acme/api"}}
            """, "pullrequest:updated", BitbucketProduct.Cloud);

        Assert.Equal("pullrequest:updated payload has no pullrequest.destination.branch.name", error);
    }

    [Fact]
    public void DataCenterPullRequestEventWithoutAnyRepositoryFails()
    {
        var error = FailJson("""{"eventKey": "pr:declined"}""", "pr:declined", BitbucketProduct.DataCenter);

        Assert.Equal("pr:declined payload has neither pullRequest.toRef.repository nor repository", error);
    }
}
