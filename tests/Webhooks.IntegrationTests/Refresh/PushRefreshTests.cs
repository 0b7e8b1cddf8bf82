using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>A push through the receiver, routed to the warehouses that follow the refs it moved, ending as Freight.</summary>
[Collection(StorageCollection.Name)]
public sealed class PushRefreshTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_push");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task PushBecomesFreightWithThePushedHeadAndTheDeliveryId()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "api", [new { repoUrl = "https://bitbucket.org/acme/api.git", branch = "main" }]);
        var head = CloudPush.Hash("api-main-1");

        var (status, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/api", CloudPush.Branch("main", head, "Add the thing")));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("accepted", answer.GetProperty("outcome").GetString());
        Assert.Equal(1, answer.GetProperty("warehouses").GetInt32());
        var deliveryId = answer.GetProperty("deliveryId").GetGuid();
        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "api"), f => f.Count == 1, "Freight of the push");
        Assert.Equal("refs/heads/main", freight[0].GetProperty("ref").GetString());
        Assert.Equal(head, freight[0].GetProperty("commit").GetString());
        Assert.Equal("bitbucket.org/acme/api", freight[0].GetProperty("repositoryKey").GetString());
        Assert.Equal("Add the thing", freight[0].GetProperty("message").GetString());
        Assert.Equal("Dev Eloper", freight[0].GetProperty("author").GetString());
        Assert.Equal([deliveryId], freight[0].GetProperty("deliveryIds").EnumerateArray().Select(e => e.GetGuid()));

        var warehouse = await _host.IdleAsync("acme", "api");
        Assert.Equal(head, warehouse.GetProperty("latestFreight").GetProperty("commit").GetString());
        Assert.Equal("succeeded", warehouse.GetProperty("lastRefresh").GetProperty("status").GetString());
    }

    [Fact]
    public async Task APushToSeveralWarehousesIsProcessedByTheRefreshThatCompletesItsLastRequest()
    {
        // The warehouses are woken together and refresh at the same moment: the last one to commit must see the
        // others' completions and mark the delivery processed, rather than leave it to the sweeper's grace period.
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        string[] warehouses = ["fan-1", "fan-2", "fan-3"];
        foreach (var name in warehouses)
        {
            await _host.CreateWarehouseAsync("acme", name, [new { repoUrl = "https://bitbucket.org/acme/fan", branch = "main" }]);
        }

        for (var push = 0; push < 5; push++)
        {
            var (_, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/fan", CloudPush.Branch("main", CloudPush.Hash($"fan-{push}"))));
            Assert.Equal(warehouses.Length, answer.GetProperty("warehouses").GetInt32());
            var deliveryId = answer.GetProperty("deliveryId").GetGuid();

            var detail = await Poll.UntilAsync(
                () => _host.GetAsync($"/api/deliveries/{deliveryId}"),
                d => d.GetProperty("state").GetString() == "processed",
                $"push {push} to be processed");

            var completed = detail.GetProperty("refreshes").EnumerateArray().Select(r => r.GetProperty("completedAt").GetDateTimeOffset()).ToList();
            Assert.Equal(warehouses.Length, completed.Count);
            Assert.Equal(completed.Max(), detail.GetProperty("timings").GetProperty("processedAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task DeliveryGoesFromAcceptedThroughDispatchedToProcessedAndListsItsRefreshes()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "web", [new { repoUrl = "git@bitbucket.org:acme/web.git" }]);

        var (_, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/web", CloudPush.Branch("main", CloudPush.Hash("web-1"))));
        var deliveryId = answer.GetProperty("deliveryId").GetGuid();

        var detail = await Poll.UntilAsync(
            () => _host.GetAsync($"/api/deliveries/{deliveryId}"),
            d => d.GetProperty("state").GetString() == "processed",
            "the delivery to be processed");
        var timings = detail.GetProperty("timings");
        var dispatchedAt = timings.GetProperty("dispatchedAt").GetDateTimeOffset();
        var processedAt = timings.GetProperty("processedAt").GetDateTimeOffset();
        Assert.True(dispatchedAt >= detail.GetProperty("receivedAt").GetDateTimeOffset());
        Assert.True(processedAt >= dispatchedAt);
        Assert.Equal(1, detail.GetProperty("answer").GetProperty("warehouses").GetInt32());
        var refresh = Assert.Single(detail.GetProperty("refreshes").EnumerateArray());
        Assert.Equal("web", refresh.GetProperty("warehouse").GetString());
        Assert.Equal("acme", refresh.GetProperty("project").GetString());
        Assert.Equal("refreshed", refresh.GetProperty("outcome").GetString());
        Assert.Equal(1, refresh.GetProperty("refresh").GetProperty("newFreight").GetInt32());
    }

    [Fact]
    public async Task PushOfOnlyDeletionsRefreshesNothing()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "lib", [new { repoUrl = "https://bitbucket.org/acme/lib", branch = "**" }]);

        var (status, answer) = await _host.PushAsync(url, secret,
            CloudPush.Body("acme/lib", CloudPush.Delete("main"), CloudPush.Delete("feature/x"), CloudPush.Delete("v1", "tag")));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(0, answer.GetProperty("warehouses").GetInt32());
        var deliveryId = answer.GetProperty("deliveryId").GetGuid();
        // Marked by the dispatch that follows the answer.
        await Poll.UntilAsync(() => _host.WithDbAsync(db => db.DeliveryStatus.AsNoTracking().SingleAsync(s => s.DeliveryId == deliveryId)),
            status => status.State == DeliveryState.Processed, "the delivery to be processed");
        Assert.Empty(await _host.RequestsAsync("acme", "lib"));
        Assert.Empty(await _host.FreightAsync("acme", "lib"));
    }

    [Fact]
    public async Task BranchAndTagPatternsSelectTheirRefsAndNoPatternMeansTheDefaultBranch()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        const string repo = "https://bitbucket.org/acme/svc";
        await _host.CreateWarehouseAsync("acme", "releases", [new { repoUrl = repo, branch = "release/*" }]);
        await _host.CreateWarehouseAsync("acme", "tags", [new { repoUrl = repo, tag = "v*" }]);
        await _host.CreateWarehouseAsync("acme", "default", [new { repoUrl = repo }]);
        // Another project follows the same repository: subscriptions are found across projects.
        await _host.CreateWarehouseAsync("other", "everything", [new { repoUrl = "git@bitbucket.org:ACME/svc.git", branch = "**", tag = "**" }]);

        var (_, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/svc",
            CloudPush.Branch("release/1.0", CloudPush.Hash("svc-r1")),
            CloudPush.Branch("release/1.0/hotfix", CloudPush.Hash("svc-r1h")),
            CloudPush.Tag("v1.2", CloudPush.Hash("svc-v12")),
            CloudPush.Branch("feature/x", CloudPush.Hash("svc-fx")),
            CloudPush.Branch("main", CloudPush.Hash("svc-main"))));

        Assert.Equal(4, answer.GetProperty("warehouses").GetInt32());
        async Task<string[]> RefsAsync(string project, string warehouse) =>
            (await Poll.UntilAsync(() => _host.FreightAsync(project, warehouse), f => f.Count > 0, $"Freight of {warehouse}"))
                .Select(f => f.GetProperty("ref").GetString()!).Order().ToArray();
        Assert.Equal(["refs/heads/release/1.0"], await RefsAsync("acme", "releases"));
        Assert.Equal(["refs/tags/v1.2"], await RefsAsync("acme", "tags"));
        Assert.Equal(["refs/heads/main"], await RefsAsync("acme", "default"));
        await _host.IdleAsync("other", "everything");
        Assert.Equal(
            ["refs/heads/feature/x", "refs/heads/main", "refs/heads/release/1.0", "refs/heads/release/1.0/hotfix", "refs/tags/v1.2"],
            await RefsAsync("other", "everything"));

        var (_, onlyFeature) = await _host.PushAsync(url, secret, CloudPush.Body("acme/svc", CloudPush.Branch("feature/y", CloudPush.Hash("svc-fy"))));
        Assert.Equal(1, onlyFeature.GetProperty("warehouses").GetInt32());
    }

    [Fact]
    public async Task SameHeadTwiceIsDeduplicatedAndMakesNoNewFreight()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "dup", [new { repoUrl = "https://bitbucket.org/acme/dup", branch = "main" }]);
        var head = CloudPush.Hash("dup-1");
        await _host.PushAsync(url, secret, CloudPush.Body("acme/dup", CloudPush.Branch("main", head)));
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "dup"), f => f.Count == 1, "the first Freight");
        await _host.IdleAsync("acme", "dup");

        // A different delivery (its own id and body) announcing the same head.
        var (status, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/dup", CloudPush.Branch("main", head)));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, answer.GetProperty("warehouses").GetInt32());
        var second = answer.GetProperty("deliveryId").GetGuid();
        // The answer comes before the dispatch, and the warehouse decides the request after: wait for its outcome.
        var requests = await Poll.UntilAsync(() => _host.RequestsAsync("acme", "dup"),
            rs => rs.Any(r => r.GetProperty("deliveryId").GetGuid() == second && r.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String),
            "the second delivery's refresh request to be completed");
        var request = requests.Single(r => r.GetProperty("deliveryId").GetGuid() == second);
        Assert.Equal("deduplicated", request.GetProperty("outcome").GetString());
        Assert.Single(await _host.FreightAsync("acme", "dup"));
        Assert.Single(await _host.RefreshesAsync("acme", "dup"));
        var detail = await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{second}"),
            d => d.GetProperty("state").GetString() == "processed", "the duplicate delivery to be processed");
        Assert.Equal("deduplicated", detail.GetProperty("refreshes")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task PullRequestsAreAcceptedButRouteNowhere()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        var body = BitbucketSender.Fixture("cloud-pullrequest-created.json");

        var response = await _host.Client.SendAsync(BitbucketSender.Cloud(url, "pullrequest:created", body, secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, answer.GetProperty("warehouses").GetInt32());
        var id = answer.GetProperty("deliveryId").GetGuid();
        var status = await _host.WithDbAsync(db => db.DeliveryStatus.AsNoTracking().SingleAsync(s => s.DeliveryId == id));
        Assert.Equal(DeliveryState.Processed, status.State);
    }
}
