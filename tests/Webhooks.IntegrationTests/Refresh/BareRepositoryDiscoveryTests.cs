using System.Net;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Git mode with the real <c>GitRefLister</c> (the git CLI) against bare repositories the test creates and pushes to,
/// reached by <c>file://</c> URLs: what <see cref="GitDiscoveryTests"/> shows with a stand-in, end to end through git.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class BareRepositoryDiscoveryTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_bare", realGit: true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ManualRefreshListsTheBareRepositoryAndMakesItsHeadsFreight()
    {
        using var repository = await BareRepository.CreateAsync();
        await repository.CommitAndPushAsync("First");
        await repository.CommitAndPushAsync("Not followed", branch: "feature/x");
        var release = await repository.CommitAndPushAsync("Release", branch: "main");
        await repository.TagAndPushAsync("v1.0");
        var head = await repository.CommitAndPushAsync("After the release");
        // Listed a moment ago with an hour's interval: only the manual refresh lists it in this test.
        await AddGitWarehouseAsync("local", repository.Url, TimeSpan.FromHours(1), listedNow: true,
            ("main", null), (null, "v*"));

        var response = await _host.Admin.PostAsync("/api/projects/acme/warehouses/local/refresh", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "local"), f => f.Count == 2, "Freight from the bare repository");
        // The annotated tag is Freight with the commit it points at, not the tag object.
        Assert.Equal(
            [("refs/heads/main", head), ("refs/tags/v1.0", release)],
            freight.Select(f => (f.GetProperty("ref").GetString()!, f.GetProperty("commit").GetString()!)).Order().ToArray());
        Assert.All(freight, f => Assert.Equal(repository.Url, f.GetProperty("repositoryUrl").GetString()));
        var request = Assert.Single(await _host.RequestsAsync("acme", "local"));
        Assert.Equal("manual", request.GetProperty("reason").GetString());
        var refresh = Assert.Single(await _host.RefreshesAsync("acme", "local"));
        Assert.Equal("succeeded", refresh.GetProperty("status").GetString());
    }

    [Fact]
    public async Task IntervalFindsAPushNoWebhookAnnounced()
    {
        using var repository = await BareRepository.CreateAsync();
        var first = await repository.CommitAndPushAsync("First");
        await AddGitWarehouseAsync("quiet", repository.Url, TimeSpan.FromSeconds(1), listedNow: false, ("main", null));
        var listed = await Poll.UntilAsync(() => _host.FreightAsync("acme", "quiet"), f => f.Count == 1, "the first interval listing");
        Assert.Equal(first, listed[0].GetProperty("commit").GetString());

        // Someone pushes; Bitbucket never tells us.
        var second = await repository.CommitAndPushAsync("Pushed quietly");

        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "quiet"), f => f.Count == 2, "the interval to find the pushed head");
        Assert.Equal(second, freight[0].GetProperty("commit").GetString());
        var requests = await _host.RequestsAsync("acme", "quiet");
        Assert.All(requests, r => Assert.Equal("interval", r.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task SubscriptionWithoutBranchFollowsTheBranchHeadPointsAtEvenWhenItIsNotMain()
    {
        using var repository = await BareRepository.CreateAsync(defaultBranch: "develop");
        var develop = await repository.CommitAndPushAsync("On develop", branch: "develop");
        await repository.CommitAndPushAsync("On main", branch: "main");
        await AddGitWarehouseAsync("default", repository.Url, TimeSpan.FromHours(1), listedNow: true, (null, null));

        var response = await _host.Admin.PostAsync("/api/projects/acme/warehouses/default/refresh", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "default"), f => f.Count == 1, "Freight of the default branch");
        Assert.Equal(("refs/heads/develop", develop), (freight[0].GetProperty("ref").GetString(), freight[0].GetProperty("commit").GetString()));
    }

    /// <summary>
    /// Written straight to the database: the management API accepts only Bitbucket repository URLs, and a local
    /// <c>file://</c> repository stands in for Bitbucket's git server here.
    /// </summary>
    private async Task AddGitWarehouseAsync(string name, string url, TimeSpan interval, bool listedNow, params (string? Branch, string? Tag)[] follows)
    {
        var created = await _host.Admin.PostAsync("/api/projects", System.Net.Http.Json.JsonContent.Create(new { name = "acme" }));
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict);
        await _host.WithDbAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var project = await db.Projects.SingleAsync(p => p.Name == "acme");
            db.Warehouses.Add(new Warehouse
            {
                ProjectId = project.Id,
                Name = name,
                Interval = interval,
                CreatedAt = now,
                UpdatedAt = now,
                LastRefreshAt = listedNow ? now : null,
                Subscriptions = follows.Select((follow, position) => new Subscription
                {
                    Position = position,
                    RepositoryKey = $"git.example.com/local/{name}",
                    RepositoryUrl = url,
                    Branch = follow.Branch,
                    Tag = follow.Tag,
                    Discovery = DiscoveryMode.Git,
                }).ToList(),
            });
            return await db.SaveChangesAsync();
        });
    }
}
