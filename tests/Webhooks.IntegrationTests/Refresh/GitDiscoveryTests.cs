using System.Net;
using System.Text.Json;
using Webhooks.Grains.Discovery;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>Git mode: heads come from listing the repository, on every refresh and on the warehouse's interval.</summary>
[Collection(StorageCollection.Name)]
public sealed class GitDiscoveryTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_git");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ManualRefreshListsTheRepositoryAndFollowsTheBranchHeadPointsAt()
    {
        const string repo = "https://git.example.com/scm/proj/tool.git";
        _host.RefLister.Set(repo,
            new RemoteRef("HEAD", CloudPush.Hash("tool-dev")),
            new RemoteRef("refs/heads/develop", CloudPush.Hash("tool-dev")),
            new RemoteRef("refs/heads/main", CloudPush.Hash("tool-main")),
            new RemoteRef("refs/tags/v1", CloudPush.Hash("tool-tag-object")),
            new RemoteRef("refs/tags/v1^{}", CloudPush.Hash("tool-v1")));
        // Long interval: only the manual refresh lists it in this test.
        await _host.CreateWarehouseAsync("acme", "tool", [
            new { repoUrl = repo, discovery = "git", credentials = new { username = "bot", password = "s3cret" } },
            new { repoUrl = repo, discovery = "git", tag = "v*" },
        ], interval: "PT1H");

        var response = await _host.Admin.PostAsync("/api/projects/acme/warehouses/tool/refresh", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "tool"), f => f.Count == 2, "Freight from the listing");
        Assert.Equal(
            [("refs/heads/develop", CloudPush.Hash("tool-dev")), ("refs/tags/v1", CloudPush.Hash("tool-v1"))],
            freight.Select(f => (f.GetProperty("ref").GetString()!, f.GetProperty("commit").GetString()!)).Order().ToArray());
        var view = await _host.GetAsync("/api/projects/acme/warehouses/tool");
        Assert.True(view.GetProperty("subscriptions")[0].GetProperty("hasCredentials").GetBoolean());
        Assert.DoesNotContain("s3cret", view.GetRawText());
    }

    [Fact]
    public async Task IntervalDiscoversAPushBitbucketNeverDelivered()
    {
        const string repo = "https://bitbucket.org/acme/quiet.git";
        _host.RefLister.Set(repo, new RemoteRef("refs/heads/main", CloudPush.Hash("quiet-1")));
        await _host.CreateWarehouseAsync("acme", "quiet", [new { repoUrl = repo, discovery = "git", branch = "main" }], interval: "00:00:01");
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "quiet"), f => f.Count == 1, "the first interval listing");

        // Someone pushes; no webhook arrives.
        _host.RefLister.Set(repo, new RemoteRef("refs/heads/main", CloudPush.Hash("quiet-2")));

        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "quiet"), f => f.Count == 2, "the interval to find the new head");
        Assert.Equal(CloudPush.Hash("quiet-2"), freight[0].GetProperty("commit").GetString());
        var requests = await _host.RequestsAsync("acme", "quiet");
        Assert.All(requests, r => Assert.Equal("interval", r.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task PushToAGitModeWarehouseListsTheRepository()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        const string repo = "git@bitbucket.org:acme/listed.git";
        _host.RefLister.Set(repo, new RemoteRef("refs/heads/main", CloudPush.Hash("listed-1")));
        await _host.CreateWarehouseAsync("acme", "listed", [new { repoUrl = repo, discovery = "git", branch = "main" }], interval: "PT1H");
        // A new git-mode warehouse is listed soon after it is created.
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "listed"), f => f.Count == 1, "the first listing");
        var head = CloudPush.Hash("listed-2");
        _host.RefLister.Set(repo, new RemoteRef("refs/heads/main", head));

        var (_, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/listed", CloudPush.Branch("main", head, "Listed")));

        Assert.Equal(1, answer.GetProperty("warehouses").GetInt32());
        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "listed"), f => f.Count == 2, "Freight from the listing");
        Assert.Equal(head, freight[0].GetProperty("commit").GetString());
        // The push announced the same head: its message and delivery id go with the listed Freight.
        Assert.Equal("Listed", freight[0].GetProperty("message").GetString());
        Assert.Equal(answer.GetProperty("deliveryId").GetGuid(), freight[0].GetProperty("deliveryIds")[0].GetGuid());
        Assert.Equal(JsonValueKind.Array, freight[0].GetProperty("deliveryIds").ValueKind);
    }
}
