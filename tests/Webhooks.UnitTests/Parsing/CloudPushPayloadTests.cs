using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Cloud <c>repo:push</c> shapes the fixtures lack, written here in Cloud's own layout.</summary>
public sealed class CloudPushPayloadTests
{
    private const string Repository = """
        "repository": {"type": "repository", "full_name": "acme/api", "name": "API", "uuid": "{3deb8c29-778a-450c-8f69-3e50a18079df}",
                       "links": {"html": {"href": "https://bitbucket.org/acme/api"}}}
        """;

    private static string Ref(string type, string name, string hash) =>
        $$$"""{"type": "{{{type}}}", "name": "{{{name}}}", "target": {"type": "commit", "hash": "{{{hash}}}"}}""";

    private static string Push(params string[] changes) =>
        $$$"""{"push": {"changes": [{{{string.Join(",", changes)}}}]}, {{{Repository}}}, "actor": {"display_name": "Ada", "uuid": "{7d3a178a-a087-4756-b2da-2f9eadf50ba8}"}}""";

    [Fact]
    public void DeleteAndCreateInOnePushYieldBothChanges()
    {
        var json = Push(
            $$$"""{"old": {{{Ref("branch", "old-feature", "1111111111111111111111111111111111111111")}}}, "new": null, "created": false, "closed": true, "forced": false, "truncated": false}""",
            $$$"""{"old": null, "new": {{{Ref("branch", "new-feature", "2222222222222222222222222222222222222222")}}}, "created": true, "closed": false, "forced": false, "truncated": false, "commits": []}""");

        var e = ParseJson(json, "repo:push", BitbucketProduct.Cloud);

        Assert.Collection(e.Changes,
            deleted =>
            {
                Assert.Equal(("old-feature", RefChangeType.Delete), (deleted.Name, deleted.Type));
                Assert.Equal("1111111111111111111111111111111111111111", deleted.OldHash);
                Assert.Null(deleted.NewHash);
            },
            created =>
            {
                Assert.Equal(("new-feature", RefChangeType.Create), (created.Name, created.Type));
                Assert.Null(created.OldHash);
                Assert.Equal("2222222222222222222222222222222222222222", created.NewHash);
            });
        Assert.Equal("bitbucket.org/acme/api", e.Repository?.Key);
        Assert.Equal("Ada", e.Actor);
    }

    [Fact]
    public void ForcedPushIsMarkedForcedAndTruncated()
    {
        var json = Push($$$"""
            {"old": {{{Ref("branch", "main", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")}}}, "new": {{{Ref("branch", "main", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")}}},
             "created": false, "closed": false, "forced": true, "truncated": true,
             "commits": [
               {"hash": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "message": "rewrite", "date": "2024-05-01T10:00:00.123456+00:00",
                "author": {"type": "author", "user": {"display_name": "Grace Hopper"} } },
               {"hash": "cccccccccccccccccccccccccccccccccccccccc", "message": "no author at all"}
             ]}
            """);

        var change = Assert.Single(ParseJson(json, "repo:push", BitbucketProduct.Cloud).Changes);

        Assert.Equal(RefChangeType.Update, change.Type);
        Assert.True(change.Forced);
        Assert.True(change.Truncated);
        Assert.Equal(2, change.Commits.Count);
        Assert.Equal("Grace Hopper", change.Commits[0].AuthorName);
        Assert.Null(change.Commits[0].AuthorEmail);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560), change.Commits[0].Timestamp);
        Assert.Null(change.Commits[1].AuthorName);
        Assert.Null(change.Commits[1].Timestamp);
    }

    [Fact]
    public void TagWithSlashesAndDotsKeepsItsFullName()
    {
        var json = Push($$$"""{"old": null, "new": {{{Ref("tag", "release/v1.2.3-rc.1", "dddddddddddddddddddddddddddddddddddddddd")}}}, "created": true, "closed": false, "forced": false, "truncated": false}""");

        var change = Assert.Single(ParseJson(json, "repo:push", BitbucketProduct.Cloud).Changes);

        Assert.Equal((RefKind.Tag, "release/v1.2.3-rc.1", RefChangeType.Create), (change.Kind, change.Name, change.Type));
    }

    [Theory]
    [InlineData("named_branch")]
    [InlineData("bookmark")]
    [InlineData("branch")]
    public void MercurialEraRefTypesAreBranches(string type)
    {
        var json = Push($$$"""{"old": {{{Ref(type, "default", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")}}}, "new": {{{Ref(type, "default", "ffffffffffffffffffffffffffffffffffffffff")}}}}""");

        var change = Assert.Single(ParseJson(json, "repo:push", BitbucketProduct.Cloud).Changes);

        Assert.Equal((RefKind.Branch, "default", RefChangeType.Update), (change.Kind, change.Name, change.Type));
    }

    [Fact]
    public void UnknownFieldsEverywhereAreIgnored()
    {
        var json = """
            {"push": {"changes": [{"old": null, "new": {"type": "branch", "name": "main", "future": [1, {"x": null}],
                                                         "target": {"hash": "0123456789abcdef0123456789abcdef01234567", "extra": true}},
                                   "created": true, "closed": false, "forced": false, "truncated": false, "shiny": "new"}],
                      "surprise": {"deep": {"er": [[]]}}},
             "repository": {"full_name": "acme/api", "links": {"html": {"href": "https://bitbucket.org/acme/api"}}, "rating": 5},
             "new_top_level": 3.14}
            """;

        var change = Assert.Single(ParseJson(json, "repo:push", BitbucketProduct.Cloud).Changes);

        Assert.Equal("0123456789abcdef0123456789abcdef01234567", change.NewHash);
    }

    [Fact]
    public void RepositoryWithoutLinksDerivesItsCloneUrlFromFullName()
    {
        var json = """
            {"push": {"changes": []}, "repository": {"full_name": "Acme/Web.Site"}}
            """;

        var e = ParseJson(json, "repo:push", BitbucketProduct.Cloud);

        Assert.Empty(e.Changes);
        Assert.Equal("bitbucket.org/acme/web.site", e.Repository?.Key);
        Assert.Equal(["https://bitbucket.org/Acme/Web.Site.git"], e.Repository?.CloneUrls);
        Assert.Null(e.Repository?.HtmlUrl);
    }

    [Fact]
    public void RepositoryCloneLinksArePassedOnHttpsFirst()
    {
        var json = """
            {"push": {"changes": []},
             "repository": {"full_name": "acme/api", "links": {"html": {"href": "https://bitbucket.org/acme/api"},
               "clone": [{"name": "ssh", "href": "git@bitbucket.org:acme/api.git"}, {"name": "https", "href": "https://ada@bitbucket.org/acme/api.git"}]}}}
            """;

        var e = ParseJson(json, "repo:push", BitbucketProduct.Cloud);

        Assert.Equal(["https://ada@bitbucket.org/acme/api.git", "git@bitbucket.org:acme/api.git"], e.Repository?.CloneUrls);
    }

    [Fact]
    public void NonAsciiRepositoryNameIsKeptAndKeyedLowerCase()
    {
        var json = """
            {"push": {"changes": []}, "repository": {"full_name": "équipe/Dépôt", "name": "Dépôt",
             "links": {"html": {"href": "https://bitbucket.org/%C3%A9quipe/D%C3%A9p%C3%B4t"}}}}
            """;

        var e = ParseJson(json, "repo:push", BitbucketProduct.Cloud);

        Assert.Equal("bitbucket.org/équipe/dépôt", e.Repository?.Key);
        Assert.Equal("équipe/Dépôt", e.Repository?.FullName);
        Assert.Equal("Dépôt", e.Repository?.Name);
    }

    [Fact]
    public void RawAuthorWithoutEmailIsAllName()
    {
        var json = Push($$$"""
            {"old": null, "new": {{{Ref("branch", "main", "0123456789abcdef0123456789abcdef01234567")}}},
             "commits": [{"hash": "0123456789abcdef0123456789abcdef01234567", "author": {"raw": "build-bot"}}]}
            """);

        var commit = Assert.Single(Assert.Single(ParseJson(json, "repo:push", BitbucketProduct.Cloud).Changes).Commits);

        Assert.Equal(("build-bot", null), (commit.AuthorName, commit.AuthorEmail));
    }
}
