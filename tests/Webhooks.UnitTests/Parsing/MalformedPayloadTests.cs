using System.Text;
using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Bad bodies are refused with a reason, never with an exception.</summary>
public sealed class MalformedPayloadTests
{
    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"push\": ")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{\"a\": 1} /* comment */")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": 1} {\"b\": 2}")]
    public void InvalidJsonFailsWithReason(string body)
    {
        var error = FailJson(body, "repo:push", BitbucketProduct.Cloud);

        Assert.StartsWith("body is not valid JSON", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"repo:push\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    [InlineData("true", "boolean")]
    public void TopLevelValueThatIsNotAnObjectFails(string body, string kind)
    {
        var error = FailJson(body, "repo:push", BitbucketProduct.Cloud);

        Assert.Equal($"body is a JSON {kind}; expected a JSON object", error);
    }

    [Theory]
    [InlineData("{\"repository\":{\"full_name\":\"acme/api\"},\"repository\":{\"full_name\":\"acme/other\"},\"push\":{\"changes\":[]}}")]
    [InlineData("{\"repository\":{\"full_name\":\"acme/api\",\"full_name\":\"acme/other\"},\"push\":{\"changes\":[]}}")]
    public void DuplicatePropertyNameFails(string body)
    {
        var error = FailJson(body, "repo:push", BitbucketProduct.Cloud);

        Assert.Equal("body has an object with a duplicate property name; expected each name once", error);
    }

    [Fact]
    public void EmptyBodyFails() =>
        Assert.Equal("body is empty; expected a JSON object",
            Fail(BitbucketEventParser.Parse(ReadOnlyMemory<byte>.Empty, "repo:push", BitbucketProduct.Cloud, null)));

    [Fact]
    public void MissingEventKeyFails() =>
        Assert.Equal("missing event key (X-Event-Key header)", FailJson("{}", " ", BitbucketProduct.Cloud));

    [Fact]
    public void InvalidUtf8Fails()
    {
        byte[] body = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];

        var error = Fail(BitbucketEventParser.Parse(body, "repo:push", BitbucketProduct.Cloud, null));

        Assert.Equal("body is not valid UTF-8", error);
    }

    [Fact]
    public void NestingDeeperThan64LevelsFails()
    {
        var body = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}";

        var error = FailJson(body, "repo:push", BitbucketProduct.Cloud);

        Assert.Equal("body nests deeper than 64 levels", error);
    }

    [Fact]
    public void NestingOf64LevelsIsAccepted()
    {
        // Root object plus 63 arrays: exactly the limit.
        var body = "{\"a\":" + string.Concat(Enumerable.Repeat("[", 63)) + string.Concat(Enumerable.Repeat("]", 63)) + "}";

        Assert.Equal(BitbucketEventKind.Other, ParseJson(body, "repo:updated", BitbucketProduct.Cloud).Kind);
    }

    [Theory]
    [InlineData("""{"push": {"changes": {"0": {}}}, "repository": {"full_name": "acme/api"}}""", "repo:push payload has no push.changes array")]
    [InlineData("""{"push": {}, "repository": {"full_name": "acme/api"}}""", "repo:push payload has no push.changes array")]
    [InlineData("""{"push": "yes", "repository": {"full_name": "acme/api"}}""", "repo:push payload has no push object")]
    [InlineData("""{"push": {"changes": []}}""", "repo:push payload has no repository")]
    [InlineData("""{"push": {"changes": []}, "repository": {"full_name": 7}}""", "payload has no repository.full_name and no repository.links.html.href to identify the repository")]
    [InlineData("""{"push": {"changes": [{"old": null, "new": null}]}, "repository": {"full_name": "acme/api"}}""", "push.changes[0] has neither old nor new ref")]
    [InlineData("""{"push": {"changes": [42]}, "repository": {"full_name": "acme/api"}}""", "push.changes[0] is not an object")]
    [InlineData("""{"push": {"changes": [{"new": {"type": "branch", "target": {"hash": "abc"}}}]}, "repository": {"full_name": "acme/api"}}""", "push.changes[0].new has no name")]
    [InlineData("""{"push": {"changes": [{"new": {"type": "branch", "name": "main"}}]}, "repository": {"full_name": "acme/api"}}""", "push.changes[0].new has no target.hash")]
    [InlineData("""{"push": {"changes": [{"new": {"name": "main", "target": {"hash": "abc"}}}]}, "repository": {"full_name": "acme/api"}}""", "push.changes[0].new has no type")]
    [InlineData("""{"push": {"changes": []}, "repository": {"full_name": "just-one-segment"}}""", "repository.full_name 'just-one-segment' is not <workspace>/<slug>")]
    public void CloudPushWithoutWhatItNeedsFailsWithReason(string body, string reason) =>
        Assert.Equal(reason, FailJson(body, "repo:push", BitbucketProduct.Cloud));

    private const string DcRepository = """
        "repository": {"slug": "repo", "project": {"key": "PROJ"}, "links": {"clone": [{"href": "https://git.example.com/scm/proj/repo.git", "name": "http"}]}}
        """;

    [Theory]
    [InlineData("""{"changes": [{"refId": "refs/heads/main", "fromHash": "a", "toHash": "b", "type": "UPDATE"}], """ + DcRepository + "}", "changes[0] has no ref")]
    [InlineData("""{"changes": [{"ref": "refs/heads/main", "toHash": "b"}], """ + DcRepository + "}", "changes[0] has no ref")]
    [InlineData("""{"changes": [{"ref": {"type": "BRANCH"}, "toHash": "b"}], """ + DcRepository + "}", "changes[0].ref has no id or displayId")]
    [InlineData("""{"changes": [{"ref": {"id": "refs/heads/main"}, "fromHash": "a", "type": "UPDATE"}], """ + DcRepository + "}", "changes[0] has no toHash")]
    [InlineData("""{"changes": "all of them", """ + DcRepository + "}", "repo:refs_changed payload has no changes array")]
    [InlineData("""{"changes": []}""", "repo:refs_changed payload has no repository")]
    [InlineData("""{"changes": [], "repository": {"slug": "repo"}}""", "payload has no repository.links.clone, and no repository.slug and repository.project.key, to identify the repository")]
    [InlineData("""{"changes": [], "repository": {"project": {"key": "PROJ"}}}""", "payload has no repository.links.clone, and no repository.slug and repository.project.key, to identify the repository")]
    public void DataCenterPushWithoutWhatItNeedsFailsWithReason(string body, string reason) =>
        Assert.Equal(reason, FailJson(body, "repo:refs_changed", BitbucketProduct.DataCenter));

    [Fact]
    public void MirrorSyncWithoutChangesOrRefLimitFails() =>
        Assert.Equal("mirror:repo_synchronized payload has no changes array and no refLimitExceeded",
            FailJson("{" + DcRepository + "}", "mirror:repo_synchronized", BitbucketProduct.DataCenter));

    [Fact]
    public void WrongTypesInOptionalFieldsAreTreatedAsAbsent()
    {
        var json = """
            {"push": {"changes": [{"old": "not-an-object", "new": {"type": "branch", "name": "main", "target": {"hash": "0123456789abcdef0123456789abcdef01234567"}},
                                   "forced": "yes", "truncated": 1, "commits": [7, null, {"hash": 5}, {"hash": "0123456789abcdef0123456789abcdef01234567", "date": false, "message": ["x"]}]}]},
             "repository": {"full_name": "acme/api", "links": {"html": "https://bitbucket.org/acme/api", "clone": {"href": "x"}}}, "actor": 12}
            """;

        var e = ParseJson(json, "repo:push", BitbucketProduct.Cloud);

        var change = Assert.Single(e.Changes);
        Assert.Equal(RefChangeType.Create, change.Type);
        Assert.False(change.Forced);
        Assert.False(change.Truncated);
        var commit = Assert.Single(change.Commits);
        Assert.Null(commit.Timestamp);
        Assert.Null(commit.Message);
        Assert.Null(e.Actor);
        Assert.Equal("bitbucket.org/acme/api", e.Repository?.Key);
    }

    [Fact]
    public void RandomBytesNeverThrow()
    {
        var random = new Random(1234);
        var seeds = new[] { "{\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\",\"name\":\"m\",\"target\":{\"hash\":\"a\"}}}]},\"repository\":{\"full_name\":\"a/b\"}}" };
        foreach (var eventKey in new[] { "repo:push", "repo:refs_changed", "pr:merged", "pullrequest:fulfilled", "mirror:repo_synchronized", "x:y" })
        {
            for (var i = 0; i < 300; i++)
            {
                var bytes = Encoding.UTF8.GetBytes(seeds[0]);
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);

                var result = BitbucketEventParser.Parse(bytes, eventKey, BitbucketProduct.Cloud, "https://git.example.com");

                Assert.True(result.Succeeded || !string.IsNullOrEmpty(result.Error));
            }
        }
    }
}
