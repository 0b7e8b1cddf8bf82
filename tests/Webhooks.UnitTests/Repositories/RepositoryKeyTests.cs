using Webhooks.Grains.Repositories;

namespace Webhooks.UnitTests.Repositories;

public sealed class RepositoryKeyTests
{
    [Theory]
    // Bitbucket Cloud: one repository, every spelling.
    [InlineData("https://bitbucket.org/Acme/API.git", "bitbucket.org/acme/api")]
    [InlineData("git@bitbucket.org:acme/api.git", "bitbucket.org/acme/api")]
    [InlineData("ssh://git@bitbucket.org/acme/api", "bitbucket.org/acme/api")]
    [InlineData("https://user@bitbucket.org/acme/api/", "bitbucket.org/acme/api")]
    [InlineData("https://bitbucket.org/acme/api", "bitbucket.org/acme/api")]
    [InlineData("HTTPS://BITBUCKET.ORG/ACME/API.GIT", "bitbucket.org/acme/api")]
    [InlineData("https://x-token-auth:secret@bitbucket.org/acme/api.git", "bitbucket.org/acme/api")]
    [InlineData("https://bitbucket.org/acme/api/src/main/README.md", "bitbucket.org/acme/api")]
    [InlineData("https://bitbucket.org/acme/api/pull-requests/1", "bitbucket.org/acme/api")]
    [InlineData("https://api.bitbucket.org/2.0/repositories/acme/api", "bitbucket.org/acme/api")]
    [InlineData("ssh://git@altssh.bitbucket.org:443/acme/api.git", "bitbucket.org/acme/api")]
    [InlineData("https://www.bitbucket.org/acme/api", "bitbucket.org/acme/api")]
    [InlineData("  https://bitbucket.org/acme/api.git  ", "bitbucket.org/acme/api")]
    [InlineData("https://bitbucket.org/acme/api.git?at=main#readme", "bitbucket.org/acme/api")]
    [InlineData("https://bitbucket.org/acme/web.site.git", "bitbucket.org/acme/web.site")]
    [InlineData("bitbucket.org/acme/api", "bitbucket.org/acme/api")]
    // Data Center: context paths, /scm/, web and REST forms, ports.
    [InlineData("https://git.example.com/bitbucket/scm/PROJ/repo.git", "git.example.com/proj/repo")]
    [InlineData("ssh://git@git.example.com:7999/proj/repo.git", "git.example.com/proj/repo")]
    [InlineData("https://git.example.com/projects/PROJ/repos/repo/browse", "git.example.com/proj/repo")]
    [InlineData("http://git.example.com:7990/bitbucket/projects/PROJ/repos/repo", "git.example.com/proj/repo")]
    [InlineData("https://git.example.com/scm/proj/repo.git", "git.example.com/proj/repo")]
    [InlineData("https://admin@git.example.com/scm/proj/repo.git", "git.example.com/proj/repo")]
    [InlineData("https://git.example.com/projects/PROJ/repos/repo/browse/src/Program.cs?at=refs%2Fheads%2Fmain", "git.example.com/proj/repo")]
    [InlineData("https://git.example.com/rest/api/1.0/projects/PROJ/repos/repo", "git.example.com/proj/repo")]
    [InlineData("https://git.example.com/a/b/c/scm/proj/repo.git/", "git.example.com/proj/repo")]
    [InlineData("git@git.example.com:proj/repo.git", "git.example.com/proj/repo")]
    [InlineData("git.example.com/proj/repo", "git.example.com/proj/repo")]
    [InlineData("http://localhost:7990/scm/amuniz/test-repos.git", "localhost/amuniz/test-repos")]
    [InlineData("http://localhost:7990/projects/AMUNIZ/repos/test-repos/browse", "localhost/amuniz/test-repos")]
    [InlineData("http://10.0.0.5:7990/scm/proj/repo.git", "10.0.0.5/proj/repo")]
    // Data Center personal projects.
    [InlineData("https://server.bitbucket.local/scm/~gopher/webhook-test.git", "server.bitbucket.local/~gopher/webhook-test")]
    [InlineData("ssh://git@server.bitbucket.local:7999/~gopher/webhook-test.git", "server.bitbucket.local/~gopher/webhook-test")]
    [InlineData("https://server.bitbucket.local/users/gopher/repos/webhook-test/browse", "server.bitbucket.local/~gopher/webhook-test")]
    [InlineData("https://server.bitbucket.local/bitbucket/users/Gopher/repos/webhook-test", "server.bitbucket.local/~gopher/webhook-test")]
    [InlineData("https://server.bitbucket.local/scm/%7Egopher/webhook-test.git", "server.bitbucket.local/~gopher/webhook-test")]
    // Percent-encoding and non-ASCII: decoded, then lower-cased.
    [InlineData("https://git.example.com/scm/PROJ/D%C3%A9p%C3%B4t.git", "git.example.com/proj/dépôt")]
    [InlineData("https://git.example.com/scm/PROJ/Dépôt.git", "git.example.com/proj/dépôt")]
    [InlineData("https://bitbucket.org/%C3%89QUIPE/api", "bitbucket.org/équipe/api")]
    public void EverySpellingOfARepositoryGivesOneKey(string url, string expected)
    {
        Assert.True(RepositoryKey.TryCanonicalize(url, out var key), $"'{url}' was rejected");
        Assert.Equal(expected, key);
        Assert.Equal(expected, RepositoryKey.Canonicalize(url));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("not a url")]
    [InlineData("acme")]
    [InlineData("acme/api")]
    [InlineData("https://bitbucket.org")]
    [InlineData("https://bitbucket.org/")]
    [InlineData("https://bitbucket.org/acme")]
    [InlineData("https://bitbucket.org/acme/.git")]
    [InlineData("https://git.example.com/repo.git")]
    [InlineData("https://git.example.com/projects/PROJ")]
    [InlineData("https://git.example.com/users/jdoe")]
    [InlineData("file:///srv/git/proj/repo.git")]
    [InlineData("mailto:someone@example.com")]
    [InlineData("ftp://git.example.com/proj/repo.git")]
    [InlineData("https:///proj/repo.git")]
    [InlineData("https://git.example.com/scm/proj/re%20po.git")]
    [InlineData("https://git.example.com/scm/proj/re%2Fpo.git")]
    [InlineData("https://git.example.com/scm/proj/..")]
    [InlineData(@"C:\repos\proj\repo")]
    [InlineData("git@:proj/repo.git")]
    public void GarbageIsRejected(string? url)
    {
        Assert.False(RepositoryKey.TryCanonicalize(url, out var key));
        Assert.Equal(string.Empty, key);
    }

    [Fact]
    public void CanonicalizeExplainsWhatItExpected()
    {
        var exception = Assert.Throws<ArgumentException>(() => RepositoryKey.Canonicalize("acme/api"));

        Assert.Equal("url", exception.ParamName);
        Assert.Contains("'acme/api' is not a Bitbucket repository URL", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://bitbucket.org/Acme/API.git")]
    [InlineData("https://git.example.com/bitbucket/scm/PROJ/repo.git")]
    [InlineData("https://server.bitbucket.local/users/gopher/repos/webhook-test/browse")]
    [InlineData("https://git.example.com/scm/PROJ/D%C3%A9p%C3%B4t.git")]
    public void CanonicalizingAKeyReturnsItUnchanged(string url)
    {
        var key = RepositoryKey.Canonicalize(url);

        Assert.Equal(key, RepositoryKey.Canonicalize(key));
    }
}
