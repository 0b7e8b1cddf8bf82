using Webhooks.Grains.Discovery;

namespace Webhooks.UnitTests.Discovery;

public sealed class GitRemoteTests
{
    [Theory]
    [InlineData("https://bitbucket.org/team/repo.git", "Http", "https://bitbucket.org/team/repo.git")]
    [InlineData("https://bot:s3cret@bitbucket.org/team/repo.git?token=abc", "Http", "https://bot:***@bitbucket.org/team/repo.git")]
    [InlineData("http://bitbucket.local:7990/scm/team/repo.git", "Http", "http://bitbucket.local:7990/scm/team/repo.git")]
    [InlineData("ssh://git@bitbucket.local:7999/team/repo.git", "Ssh", "ssh://git@bitbucket.local:7999/team/repo.git")]
    [InlineData("git@bitbucket.org:team/repo.git", "Ssh", "git@bitbucket.org:team/repo.git")]
    [InlineData("file:///srv/git/repo.git", "File", "/srv/git/repo.git")]
    [InlineData("/srv/git/repo.git", "File", "/srv/git/repo.git")]
    public void SupportedLocationsAreClassifiedAndShownWithoutSecrets(string url, string transport, string display)
    {
        var remote = GitRemote.Parse(url);

        Assert.Equal(Enum.Parse<GitTransport>(transport), remote.Transport);
        Assert.Equal(display, remote.DisplayUrl);
        Assert.Equal(url, remote.Url);
    }

    [Theory]
    [InlineData("ext::sh -c id")]
    [InlineData("fd::17")]
    [InlineData("-oProxyCommand=id")]
    [InlineData("git://example.com/repo.git")]
    [InlineData("ftp://example.com/repo.git")]
    [InlineData("repo.git")]
    [InlineData("https://example.com/repo.git\nfoo")]
    [InlineData("   ")]
    public void OtherLocationsAreRefused(string url)
    {
        var exception = Assert.Throws<RefListingException>(() => GitRemote.Parse(url));

        Assert.DoesNotContain("\n", exception.Message);
    }
}
