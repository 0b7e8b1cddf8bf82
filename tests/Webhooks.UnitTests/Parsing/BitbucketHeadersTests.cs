using Microsoft.AspNetCore.Http;
using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;

namespace Webhooks.UnitTests.Parsing;

public sealed class BitbucketHeadersTests
{
    [Fact]
    public void CloudHeadersMeanCloud()
    {
        var headers = new HeaderDictionary
        {
            ["X-Event-Key"] = "repo:push",
            ["X-Hook-UUID"] = "0302255c-f4f0-4232-916b-bef521fbdd08",
            ["X-Request-UUID"] = "b3c7a6b0-8f1e-4c39-9b2c-0d6f2b8d1e21",
            ["X-Attempt-Number"] = "1",
            ["User-Agent"] = "Bitbucket-Webhooks/2.0",
        };

        Assert.Equal(BitbucketProduct.Cloud, BitbucketHeaders.DetectProduct(headers));
    }

    [Fact]
    public void DataCenterHeadersMeanDataCenter()
    {
        var headers = new HeaderDictionary
        {
            ["x-event-key"] = "repo:refs_changed",
            ["x-request-id"] = "4b8e5d3a-1c2f-4e6a-9b0d-7f3e2a1c5b9d",
            ["User-Agent"] = "Atlassian HttpClient 4.2.0 / Bitbucket-9.5.2 (9005002) / Default",
        };

        Assert.Equal(BitbucketProduct.DataCenter, BitbucketHeaders.DetectProduct(headers));
    }

    [Fact]
    public void CloudBehindAProxyThatAddsXRequestIdIsStillCloud()
    {
        var headers = new HeaderDictionary { ["X-Event-Key"] = "repo:push", ["X-Request-Id"] = "proxy-generated", ["X-Request-UUID"] = "abc" };

        Assert.Equal(BitbucketProduct.Cloud, BitbucketHeaders.DetectProduct(headers));
    }

    [Theory]
    [InlineData("repo:refs_changed", BitbucketProduct.DataCenter)]
    [InlineData("mirror:repo_synchronized", BitbucketProduct.DataCenter)]
    [InlineData("pr:reviewer:needs_work", BitbucketProduct.DataCenter)]
    [InlineData("diagnostics:ping", BitbucketProduct.DataCenter)]
    [InlineData("repo:comment:added", BitbucketProduct.DataCenter)]
    [InlineData("repo:push", BitbucketProduct.Cloud)]
    [InlineData("pullrequest:fulfilled", BitbucketProduct.Cloud)]
    [InlineData("repo:commit_status_updated", BitbucketProduct.Cloud)]
    public void EventKeyAloneTellsTheProduct(string eventKey, BitbucketProduct expected) =>
        Assert.Equal(expected, BitbucketHeaders.DetectProduct(eventKey, null, null, null, null, "curl/8.0"));

    [Fact]
    public void CloudUserAgentAloneMeansCloud() =>
        Assert.Equal(BitbucketProduct.Cloud, BitbucketHeaders.DetectProduct("something:new", null, null, null, null, "Bitbucket-Webhooks/2.0"));

    [Fact]
    public void UnknownEventKeyWithRequestIdMeansDataCenter() =>
        Assert.Equal(BitbucketProduct.DataCenter, BitbucketHeaders.DetectProduct("something:new", null, null, null, "id", null));

    [Fact]
    public void NothingToGoOnIsNull()
    {
        Assert.Null(BitbucketHeaders.DetectProduct(new HeaderDictionary()));
        Assert.Null(BitbucketHeaders.DetectProduct("something:new", null, null, null, null, "curl/8.0"));
    }
}
