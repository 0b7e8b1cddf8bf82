using Webhooks.Grains.Events;
using static Webhooks.UnitTests.Parsing.ParserHarness;

namespace Webhooks.UnitTests.Parsing;

/// <summary>
/// The smallest payloads Kargo's Bitbucket receiver accepts, and the rule when a payload's fields disagree: any payload
/// whose repository can be identified from what it carries is read; one that cannot is refused saying what is missing.
/// </summary>
public sealed class MinimalPayloadTests
{
    private const string Change = """{"old":{"type":"branch","name":"main","target":{"hash":"1111111111111111111111111111111111111111"}},"new":{"type":"branch","name":"main","target":{"hash":"2222222222222222222222222222222222222222"}}}""";

    private const string DataCenterChange = """{"ref":{"id":"refs/heads/main","displayId":"main","type":"BRANCH"},"fromHash":"1111111111111111111111111111111111111111","toHash":"2222222222222222222222222222222222222222","type":"UPDATE"}""";

    [Fact]
    public void CloudPushWhoseRepositoryCarriesOnlyItsWebLinkIsRead()
    {
        var e = ParseJson("""{"push":{"changes":[CHANGE]},"repository":{"links":{"html":{"href":"https://bitbucket.org/Acme/API"}}}}""".Replace("CHANGE", Change), "repo:push", BitbucketProduct.Cloud);

        Assert.Equal("bitbucket.org/acme/api", e.Repository!.Key);
        Assert.Equal("acme/api", e.Repository.FullName);
        Assert.Equal(["https://bitbucket.org/Acme/API.git"], e.Repository.CloneUrls);
        Assert.Equal("2222222222222222222222222222222222222222", Assert.Single(e.Changes).NewHash);
    }

    [Fact]
    public void CloudPushWhoseRepositoryCarriesOnlyItsFullNameIsRead()
    {
        var e = ParseJson("""{"push":{"changes":[CHANGE]},"repository":{"full_name":"acme/api"}}""".Replace("CHANGE", Change), "repo:push", BitbucketProduct.Cloud);

        Assert.Equal("bitbucket.org/acme/api", e.Repository!.Key);
        Assert.Equal(["https://bitbucket.org/acme/api.git"], e.Repository.CloneUrls);
    }

    [Fact]
    public void CloudFullNameWinsWhenTheWebLinkNamesAnotherRepository()
    {
        var e = ParseJson(
            """{"push":{"changes":[CHANGE]},"repository":{"full_name":"acme/api","links":{"html":{"href":"https://bitbucket.org/evil/other"}}}}""".Replace("CHANGE", Change),
            "repo:push", BitbucketProduct.Cloud);

        Assert.Equal("bitbucket.org/acme/api", e.Repository!.Key);
        Assert.Equal("acme/api", e.Repository.FullName);
    }

    [Fact]
    public void CloudPushWithNothingThatIdentifiesTheRepositoryIsRefusedSayingWhatIsMissing()
    {
        var reason = FailJson("""{"push":{"changes":[CHANGE]},"repository":{"name":"api"}}""".Replace("CHANGE", Change), "repo:push", BitbucketProduct.Cloud);

        Assert.Contains("full_name", reason);
        Assert.Contains("links.html.href", reason);
    }

    [Fact]
    public void CloudPushWhoseOnlyLinkIsNotARepositoryUrlIsRefused()
    {
        var reason = FailJson("""{"push":{"changes":[CHANGE]},"repository":{"links":{"html":{"href":"https://bitbucket.org/"}}}}""".Replace("CHANGE", Change), "repo:push", BitbucketProduct.Cloud);

        Assert.Contains("not Bitbucket repository URLs", reason);
    }

    [Fact]
    public void DataCenterRefsChangedWhoseRepositoryCarriesOnlyCloneLinksIsRead()
    {
        var e = ParseJson(
            """{"changes":[CHANGE],"repository":{"links":{"clone":[{"href":"ssh://git@git.example.com:7999/proj/repo.git","name":"ssh"},{"href":"https://git.example.com/scm/proj/repo.git","name":"http"}]}}}""".Replace("CHANGE", DataCenterChange),
            "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Equal("git.example.com/proj/repo", e.Repository!.Key);
        Assert.Equal("PROJ/repo", e.Repository.FullName);
        Assert.Equal(["https://git.example.com/scm/proj/repo.git", "ssh://git@git.example.com:7999/proj/repo.git"], e.Repository.CloneUrls);
        Assert.Equal("2222222222222222222222222222222222222222", Assert.Single(e.Changes).NewHash);
    }

    [Fact]
    public void DataCenterPullRequestMergedWhoseRepositoryCarriesOnlyCloneLinksIsRead()
    {
        var e = ParseJson(
            """{"eventKey":"pr:merged","pullRequest":{"toRef":{"repository":{"links":{"clone":[{"href":"https://git.example.com/scm/proj/repo.git","name":"http"}]}}}}}""",
            "pr:merged", BitbucketProduct.DataCenter);

        Assert.Equal(BitbucketEventKind.PullRequest, e.Kind);
        Assert.Equal("git.example.com/proj/repo", e.Repository!.Key);
        Assert.Null(e.PullRequest);
    }

    [Fact]
    public void DataCenterPullRequestMergedWithOnlyATopLevelRepositoryIsRead()
    {
        var e = ParseJson(
            """{"eventKey":"pr:merged","repository":{"links":{"clone":[{"href":"https://git.example.com/scm/proj/repo.git","name":"http"}]}}}""",
            "pr:merged", BitbucketProduct.DataCenter);

        Assert.Equal("git.example.com/proj/repo", e.Repository!.Key);
    }

    [Fact]
    public void DataCenterRefsChangedWithNothingThatIdentifiesTheRepositoryIsRefusedSayingWhatIsMissing()
    {
        var reason = FailJson("""{"changes":[CHANGE],"repository":{"name":"repo"}}""".Replace("CHANGE", DataCenterChange), "repo:refs_changed", BitbucketProduct.DataCenter);

        Assert.Contains("links.clone", reason);
        Assert.Contains("slug", reason);
    }

    [Fact]
    public void DataCenterPullRequestWithoutAnyRepositoryIsRefused()
    {
        var reason = FailJson("""{"pullRequest":{"id":1}}""", "pr:merged", BitbucketProduct.DataCenter);

        Assert.Contains("repository", reason);
    }
}
