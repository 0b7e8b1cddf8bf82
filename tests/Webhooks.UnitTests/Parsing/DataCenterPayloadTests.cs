using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Data Center shapes the fixtures lack, written here in Data Center's own layout.</summary>
public sealed class DataCenterPayloadTests
{
    private const string Zeros = "0000000000000000000000000000000000000000";
    private const string Head = "9fdd7b96d3f5c276d0b9e0bf38c879eb112d889a";

    private static string Repository(string projectKey = "PROJ", string slug = "repo", string links = """
        "links": {"clone": [{"href": "ssh://git@git.example.com:7999/proj/repo.git", "name": "ssh"},
                            {"href": "https://git.example.com/bitbucket/scm/proj/repo.git", "name": "http"}],
                  "self": [{"href": "https://git.example.com/bitbucket/projects/PROJ/repos/repo/browse"}]}
        """) =>
        $$$"""{"slug": "{{{slug}}}", "name": "{{{slug}}}", "project": {"key": "{{{projectKey}}}", "type": "NORMAL"}, {{{links}}}}""";

    private static string Change(string id, string type, string from, string to, string refType = "BRANCH") =>
        $$$"""{"ref": {"id": "{{{id}}}", "displayId": "{{{id.Split('/', 3)[^1]}}}", "type": "{{{refType}}}"}, "refId": "{{{id}}}", "fromHash": "{{{from}}}", "toHash": "{{{to}}}", "type": "{{{type}}}"}""";

    private static string RefsChanged(string changes, string extra = "", string? repository = null) =>
        $$$"""
        {"eventKey": "repo:refs_changed", "date": "2017-09-19T09:45:32+1000", "actor": {"name": "jdoe", "displayName": "Jane Doe"},
         "repository": {{{repository ?? Repository()}}}, "changes": [{{{changes}}}]{{{extra}}}}
        """;

    [Fact]
    public void AddAndDeleteTurnZeroHashesIntoNulls()
    {
        var json = RefsChanged(
            Change("refs/heads/feature/new", "ADD", Zeros, Head) + "," +
            Change("refs/tags/v1.0", "DELETE", Head, Zeros, "TAG"));

        var e = ParseJson(json, "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Collection(e.Changes,
            added =>
            {
                Assert.Equal((RefKind.Branch, "feature/new", RefChangeType.Create), (added.Kind, added.Name, added.Type));
                Assert.Null(added.OldHash);
                Assert.Equal(Head, added.NewHash);
            },
            deleted =>
            {
                Assert.Equal((RefKind.Tag, "v1.0", RefChangeType.Delete), (deleted.Kind, deleted.Name, deleted.Type));
                Assert.Equal(Head, deleted.OldHash);
                Assert.Null(deleted.NewHash);
            });
        Assert.Equal("git.example.com/proj/repo", e.Repository?.Key);
        Assert.Equal("PROJ/repo", e.Repository?.FullName);
        Assert.Equal(["https://git.example.com/bitbucket/scm/proj/repo.git", "ssh://git@git.example.com:7999/proj/repo.git"], e.Repository?.CloneUrls);
        Assert.Equal("Jane Doe", e.Actor);
    }

    [Fact]
    public void PlusTenHundredOffsetWithoutColonIsRead()
    {
        var e = ParseJson(RefsChanged(Change("refs/heads/main", "UPDATE", Head, Head)), "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Equal(new DateTimeOffset(2017, 9, 19, 9, 45, 32, TimeSpan.FromHours(10)), e.OccurredAt);
        Assert.Equal(TimeSpan.FromHours(10), e.OccurredAt?.Offset);
    }

    [Fact]
    public void DataCenter9EpochMillisecondsAndDataCenter10IsoStringsGiveTheSameTimestamp()
    {
        static string WithCommit(string timestamp) => RefsChanged(
            Change("refs/heads/main", "UPDATE", "a8c13e8850dc60300be720019d1ffc1aa2fded87", Head),
            $$$""", "commits": [{"id": "{{{Head}}}", "message": "m", "author": {"name": "jdoe", "emailAddress": "j@example.com"}, "authorTimestamp": {{{timestamp}}}}]""");

        var dc9 = ParseJson(WithCommit("1537538991000"), "repo:refs_changed", BitbucketProduct.DataCenter);
        var dc10 = ParseJson(WithCommit("\"2018-09-21T14:09:51.000Z\""), "repo:refs_changed", BitbucketProduct.DataCenter);

        var expected = new DateTimeOffset(2018, 9, 21, 14, 9, 51, TimeSpan.Zero);
        Assert.Equal(expected, Assert.Single(Assert.Single(dc9.Changes).Commits).Timestamp);
        Assert.Equal(expected, Assert.Single(Assert.Single(dc10.Changes).Commits).Timestamp);
        Assert.Equal(("jdoe", "j@example.com"), (dc10.Changes[0].Commits[0].AuthorName, dc10.Changes[0].Commits[0].AuthorEmail));
    }

    [Fact]
    public void ToCommitAloneBecomesTheChangesCommit()
    {
        var json = RefsChanged(
            Change("refs/heads/main", "UPDATE", "a8c13e8850dc60300be720019d1ffc1aa2fded87", Head),
            $$$""", "toCommit": {"id": "{{{Head}}}", "message": "head", "authorTimestamp": "2024-11-13T21:54:36+1000", "parents": []}""");

        var commit = Assert.Single(Assert.Single(ParseJson(json, "repo:refs_changed", BitbucketProduct.DataCenter).Changes).Commits);

        Assert.Equal((Head, "head"), (commit.Hash, commit.Message));
        Assert.Equal(new DateTimeOffset(2024, 11, 13, 21, 54, 36, TimeSpan.FromHours(10)), commit.Timestamp);
    }

    [Fact]
    public void TopLevelCommitsGoToTheChangeEndingAtTheirHead()
    {
        var json = RefsChanged(
            Change("refs/heads/other", "UPDATE", "1111111111111111111111111111111111111111", "2222222222222222222222222222222222222222") + "," +
            Change("refs/heads/main", "UPDATE", "a8c13e8850dc60300be720019d1ffc1aa2fded87", Head),
            $$$""", "commits": [{"id": "{{{Head}}}", "message": "one"}, {"id": "a8c13e8850dc60300be720019d1ffc1aa2fded87", "message": "two"}]""");

        var e = ParseJson(json, "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Empty(e.Changes[0].Commits);
        Assert.Equal(2, e.Changes[1].Commits.Count);
    }

    [Fact]
    public void PersonalProjectKeepsTheTildeInKeyAndFullName()
    {
        var repository = Repository("~JDOE", "tools", """
            "links": {"clone": [{"href": "https://git.example.com/scm/~jdoe/tools.git", "name": "http"}],
                      "self": [{"href": "https://git.example.com/users/jdoe/repos/tools/browse"}]}
            """);

        var e = ParseJson(RefsChanged(Change("refs/heads/main", "UPDATE", Head, Head), repository: repository), "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Equal("git.example.com/~jdoe/tools", e.Repository?.Key);
        Assert.Equal("~JDOE/tools", e.Repository?.FullName);
    }

    [Fact]
    public void PersonalProjectWithoutLinksBuildsUserUrls()
    {
        var repository = """{"slug": "tools", "project": {"key": "~jdoe", "type": "PERSONAL"}}""";

        var e = ParseJson(RefsChanged(Change("refs/heads/main", "UPDATE", Head, Head), repository: repository),
            "repo:refs_changed", BitbucketProduct.DataCenter, serverUrl: "http://git.example.com:7990");

        Assert.Equal("git.example.com/~jdoe/tools", e.Repository?.Key);
        Assert.Equal(["http://git.example.com:7990/scm/~jdoe/tools.git"], e.Repository?.CloneUrls);
        Assert.Equal("http://git.example.com:7990/users/jdoe/repos/tools/browse", e.Repository?.HtmlUrl);
    }

    [Fact]
    public void NonAsciiSlugIsDecodedAndLowerCased()
    {
        var repository = Repository("PROJ", "Dépôt", """
            "links": {"clone": [{"href": "https://git.example.com/scm/proj/d%C3%A9p%C3%B4t.git", "name": "http"}]}
            """);

        var e = ParseJson(RefsChanged(Change("refs/heads/main", "UPDATE", Head, Head), repository: repository), "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Equal("git.example.com/proj/dépôt", e.Repository?.Key);
        Assert.Equal("PROJ/Dépôt", e.Repository?.FullName);
    }

    [Fact]
    public void InvalidServerUrlFallbackFailsClearly()
    {
        var repository = """{"slug": "repo", "project": {"key": "PROJ"}}""";

        var error = FailJson(RefsChanged(Change("refs/heads/main", "UPDATE", Head, Head), repository: repository),
            "repo:refs_changed", BitbucketProduct.DataCenter, serverUrl: "not a url");

        Assert.Contains("serverUrl", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RefWithoutTypeIsClassifiedByItsId()
    {
        var json = RefsChanged("""
            {"ref": {"id": "refs/tags/release/2.0"}, "fromHash": "0000000000000000000000000000000000000000", "toHash": "9fdd7b96d3f5c276d0b9e0bf38c879eb112d889a", "type": "ADD"}
            """);

        var change = Assert.Single(ParseJson(json, "repo:refs_changed", BitbucketProduct.DataCenter).Changes);

        Assert.Equal((RefKind.Tag, "release/2.0", RefChangeType.Create), (change.Kind, change.Name, change.Type));
    }

    [Fact]
    public void RefsThatAreNeitherBranchNorTagAreSkipped()
    {
        var json = RefsChanged(
            """{"ref": {"id": "refs/notes/commits", "displayId": "commits", "type": "NOTES"}, "fromHash": "1111111111111111111111111111111111111111", "toHash": "2222222222222222222222222222222222222222", "type": "UPDATE"},""" +
            Change("refs/heads/main", "UPDATE", Head, Head));

        var change = Assert.Single(ParseJson(json, "repo:refs_changed", BitbucketProduct.DataCenter).Changes);

        Assert.Equal("main", change.Name);
    }

    [Fact]
    public void MirrorSyncWithChangesListsThem()
    {
        var json = $$$"""
            {"eventKey": "mirror:repo_synchronized", "date": "2024-11-27T01:34:45+0000", "syncType": "INCREMENTAL", "refLimitExceeded": false,
             "mirrorServer": {"id": "ABCD", "name": "Mirror"}, "repository": {{{Repository()}}},
             "changes": [{{{Change("refs/heads/main", "UPDATE", "a8c13e8850dc60300be720019d1ffc1aa2fded87", Head)}}}]}
            """;

        var e = ParseJson(json, "mirror:repo_synchronized", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.MirrorSynchronized, e.Kind);
        Assert.False(e.RefLimitExceeded);
        Assert.Equal(Head, Assert.Single(e.Changes).NewHash);
    }

    [Fact]
    public void MirrorSyncOverTheRefLimitWithoutAChangesArrayStillParses()
    {
        var json = $$$"""{"eventKey": "mirror:repo_synchronized", "refLimitExceeded": true, "repository": {{{Repository()}}}}""";

        var e = ParseJson(json, "mirror:repo_synchronized", BitbucketProduct.DataCenter);

        Assert.True(e.RefLimitExceeded);
        Assert.Empty(e.Changes);
    }

    [Fact]
    public void UnknownFieldsAreIgnored()
    {
        var json = RefsChanged(Change("refs/heads/main", "UPDATE", Head, Head), """, "hookVersion": 11, "diff": {"files": [1, 2, 3]}, "actor2": null""");

        Assert.Single(ParseJson(json, "repo:refs_changed", BitbucketProduct.DataCenter).Changes);
    }
}
