using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Events we do not act on are still parsed, so they can be recorded with their repository.</summary>
public sealed class OtherEventTests
{
    [Fact]
    public void UnknownCloudEventNamesItsRepository()
    {
        var e = ParseJson("""
            {"repository": {"full_name": "acme/api", "links": {"html": {"href": "https://bitbucket.org/acme/api"}}}, "actor": {"display_name": "Ada"}, "changes": {"name": {"old": "a"}}}
            """, "repo:updated", BitbucketProduct.Cloud);

        Assert.Equal(BitbucketEventKind.Other, e.Kind);
        Assert.Equal("bitbucket.org/acme/api", e.Repository?.Key);
        Assert.Equal("Ada", e.Actor);
        Assert.Empty(e.Changes);
    }

    [Fact]
    public void UnknownDataCenterEventNamesItsRepository()
    {
        var e = ParseJson("""
            {"eventKey": "repo:comment:added", "date": "2024-01-01T00:00:00+0000", "actor": {"displayName": "Jane"},
             "repository": {"slug": "repo", "project": {"key": "PROJ"}, "links": {"self": [{"href": "https://git.example.com/projects/PROJ/repos/repo/browse"}]}}}
            """, "repo:comment:added", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.Other, e.Kind);
        Assert.Equal("git.example.com/proj/repo", e.Repository?.Key);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), e.OccurredAt);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"repository": "acme/api"}""")]
    [InlineData("""{"repository": {"slug": "repo"}}""")]
    [InlineData("""{"repository": {"slug": "repo", "project": {"key": "PROJ"}}}""")]
    [InlineData("""{"whatever": [1, 2, {"deep": true}]}""")]
    public void UnknownEventWithUnknownShapeSucceedsWithoutRepository(string body)
    {
        var e = ParseJson(body, "issue:created", BitbucketProduct.Cloud);

        Assert.Equal(BitbucketEventKind.Other, e.Kind);
        Assert.Null(e.Repository);
    }

    [Fact]
    public void PingIgnoresItsBody()
    {
        var e = ParseJson("""{"test": true}""", "diagnostics:ping", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.Ping, e.Kind);
    }
}
