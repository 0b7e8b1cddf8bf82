using System.Text;
using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;

namespace Webhooks.UnitTests.Parsing;

/// <summary>Runs the parser over fixture files (byte for byte) or payloads written in a test.</summary>
internal static class ParserHarness
{
    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name));

    public static BitbucketEvent ParseFixture(string name, string eventKey, BitbucketProduct product, string? serverUrl = null) =>
        Succeed(BitbucketEventParser.Parse(Fixture(name), eventKey, product, serverUrl));

    public static BitbucketEvent ParseJson(string json, string eventKey, BitbucketProduct product, string? serverUrl = null) =>
        Succeed(BitbucketEventParser.Parse(Encoding.UTF8.GetBytes(json), eventKey, product, serverUrl));

    public static string FailJson(string json, string eventKey, BitbucketProduct product, string? serverUrl = null) =>
        Fail(BitbucketEventParser.Parse(Encoding.UTF8.GetBytes(json), eventKey, product, serverUrl));

    public static BitbucketEvent Succeed(BitbucketParseResult result)
    {
        Assert.True(result.Succeeded, $"expected success, got: {result.Error}");
        return result.Event;
    }

    public static string Fail(BitbucketParseResult result)
    {
        Assert.False(result.Succeeded, $"expected failure, got {result}");
        Assert.Null(result.Event);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result.Error;
    }
}
