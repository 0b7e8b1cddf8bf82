using Webhooks.Grains.Receivers;

namespace Webhooks.UnitTests.Receivers;

public sealed class ReachabilityWarningsTests
{
    [Theory]
    [InlineData("http://localhost:5180/webhooks/bitbucket/abc")]
    [InlineData("http://127.0.0.1:5180/webhooks/bitbucket/abc")]
    [InlineData("http://[::1]:5180/webhooks/bitbucket/abc")]
    [InlineData("http://10.1.2.3/webhooks/bitbucket/abc")]
    [InlineData("http://192.168.1.20/webhooks/bitbucket/abc")]
    [InlineData("http://172.20.0.5/webhooks/bitbucket/abc")]
    [InlineData("http://receiver:8080/webhooks/bitbucket/abc")]
    [InlineData("http://build.local/webhooks/bitbucket/abc")]
    public void AUrlBitbucketCloudCannotReachIsWarnedAboutWithTheSettingToChange(string url)
    {
        var warning = Assert.Single(ReachabilityWarnings.For(url));

        Assert.Contains("Webhooks:PublicBaseUrl", warning);
        Assert.Contains("Webhooks__PublicBaseUrl", warning);
        Assert.Contains(new Uri(url).Host.Trim('[', ']'), warning);
    }

    [Theory]
    [InlineData("https://webhooks.example.com/webhooks/bitbucket/abc")]
    [InlineData("https://203.0.113.7/webhooks/bitbucket/abc")]
    [InlineData("not a url")]
    public void APublicUrlHasNoWarning(string url) => Assert.Empty(ReachabilityWarnings.For(url));

    [Fact]
    public void WebhookDataCarriesTheWarning()
    {
        var data = WebhookSetupGuide.For("http://localhost:5180/webhooks/bitbucket/abc", "0123456789abcdef", null);

        Assert.Single(data.Warnings);
        Assert.Empty(WebhookSetupGuide.For("https://webhooks.example.com/webhooks/bitbucket/abc", "0123456789abcdef", null).Warnings);
    }
}
