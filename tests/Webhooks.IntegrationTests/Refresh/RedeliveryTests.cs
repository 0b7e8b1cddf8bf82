using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Management;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// <c>POST /api/deliveries/{id}/redeliver</c>: a recorded push replayed through routing as a new delivery that points at
/// the original, reaching the warehouses subscribed now; deliveries that were never routed cannot be replayed.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class RedeliveryTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_redeliver");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RedeliveryReachesAWarehouseAddedAfterThePushAndIsDeduplicatedWhereTheHeadIsKnown()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "first", [new { repoUrl = "https://bitbucket.org/acme/api", branch = "main" }]);
        var head = CloudPush.Hash("redeliver-main-1");
        var (_, pushed) = await _host.PushAsync(url, secret, CloudPush.Body("acme/api", CloudPush.Branch("main", head, "Ship it")));
        var original = pushed.GetProperty("deliveryId").GetGuid();
        await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{original}"),
            d => d.GetProperty("state").GetString() == "processed", "the push to be processed");
        await _host.CreateWarehouseAsync("acme", "later", [new { repoUrl = "git@bitbucket.org:acme/api.git", branch = "main" }]);

        var response = await _host.Admin.PostAsync($"/api/deliveries/{original}/redeliver", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var replay = answer.GetProperty("deliveryId").GetGuid();
        Assert.NotEqual(original, replay);
        Assert.Equal(original, answer.GetProperty("redeliveryOf").GetGuid());
        Assert.Equal("repo:push", answer.GetProperty("event").GetString());
        Assert.Equal("accepted", answer.GetProperty("outcome").GetString());
        Assert.Equal(2, answer.GetProperty("warehouses").GetInt32());
        Assert.Equal($"/api/deliveries/{replay}", response.Headers.Location?.OriginalString);

        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "later"), f => f.Count == 1, "Freight on the warehouse added later");
        Assert.Equal(head, freight[0].GetProperty("commit").GetString());
        Assert.Equal("Ship it", freight[0].GetProperty("message").GetString());
        Assert.Equal([replay], freight[0].GetProperty("deliveryIds").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Single(await _host.FreightAsync("acme", "first"));

        var detail = await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{replay}"),
            d => d.GetProperty("state").GetString() == "processed", "the redelivery to be processed");
        Assert.Equal(original, detail.GetProperty("redeliveryOf").GetGuid());
        Assert.Equal("bootstrap", detail.GetProperty("redeliveredBy").GetProperty("tokenName").GetString());
        Assert.Equal("accepted", detail.GetProperty("outcome").GetString());
        Assert.Equal(2, detail.GetProperty("answer").GetProperty("warehouses").GetInt32());
        var outcomes = detail.GetProperty("refreshes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("warehouse").GetString()!, r => r.GetProperty("outcome").GetString());
        Assert.Equal("deduplicated", outcomes["first"]);
        Assert.Equal("refreshed", outcomes["later"]);

        // The original's own history is unchanged; it only gains a pointer to its redelivery.
        var originalDetail = await _host.GetAsync($"/api/deliveries/{original}");
        Assert.Equal("first", Assert.Single(originalDetail.GetProperty("refreshes").EnumerateArray()).GetProperty("warehouse").GetString());
        Assert.Equal([replay], originalDetail.GetProperty("redeliveries").EnumerateArray().Select(e => e.GetGuid()));
        Assert.Equal(JsonValueKind.Null, originalDetail.GetProperty("redeliveryOf").ValueKind);
        var listed = (await _host.GetAsync("/api/deliveries?project=acme")).GetProperty("items").EnumerateArray()
            .Single(d => d.GetProperty("id").GetGuid() == replay);
        Assert.Equal(original, listed.GetProperty("redeliveryOf").GetGuid());
    }

    [Fact]
    public async Task RedeliveringTwiceMakesTwoDeliveriesEachWithItsOwnRequests()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "twice", [new { repoUrl = "https://bitbucket.org/acme/twice", branch = "main" }]);
        var (_, pushed) = await _host.PushAsync(url, secret, CloudPush.Body("acme/twice", CloudPush.Branch("main", CloudPush.Hash("twice-1"))));
        var original = pushed.GetProperty("deliveryId").GetGuid();

        var first = await (await _host.Admin.PostAsync($"/api/deliveries/{original}/redeliver", null)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await _host.Admin.PostAsync($"/api/deliveries/{original}/redeliver", null)).Content.ReadFromJsonAsync<JsonElement>();

        var ids = new[] { first.GetProperty("deliveryId").GetGuid(), second.GetProperty("deliveryId").GetGuid() };
        Assert.NotEqual(ids[0], ids[1]);
        var requests = await Poll.UntilAsync(() => _host.RequestsAsync("acme", "twice"),
            r => r.Count == 3 && r.All(x => x.GetProperty("outcome").ValueKind != JsonValueKind.Null), "three completed requests");
        Assert.Equal(new[] { original }.Concat(ids).Order(), requests.Select(r => r.GetProperty("deliveryId").GetGuid()).Order());
        Assert.Single(await _host.FreightAsync("acme", "twice"));
        Assert.Equal(ids, (await _host.GetAsync($"/api/deliveries/{original}")).GetProperty("redeliveries").EnumerateArray().Select(e => e.GetGuid()));
    }

    [Fact]
    public async Task RedeliveringARejectedDeliveryIsAConflict()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        var rejected = await _host.Client.SendAsync(BitbucketSender.Cloud(url, "repo:push",
            CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("forged"))), "not-the-secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);
        var id = (await rejected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
        // Rejections are recorded in the background.
        await Poll.UntilAsync(async () => (await _host.Admin.GetAsync($"/api/deliveries/{id}")).StatusCode,
            status => status == HttpStatusCode.OK, "the rejection to be recorded");

        var response = await _host.Admin.PostAsync($"/api/deliveries/{id}/redeliver", null);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("rejected", problem.GetProperty("detail").GetString());
        Assert.Empty((await _host.GetAsync($"/api/deliveries/{id}")).GetProperty("redeliveries").EnumerateArray());
    }

    [Fact]
    public async Task RedeliveringAPullRequestThatWasNeverRoutedIsAConflict()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        var accepted = await _host.Client.SendAsync(BitbucketSender.Cloud(url, "pullrequest:created",
            BitbucketSender.Fixture("cloud-pullrequest-created.json"), secret));
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();

        var response = await _host.Admin.PostAsync($"/api/deliveries/{id}/redeliver", null);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("not routed", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task RedeliveringAnUnknownDeliveryIsNotFound()
    {
        var response = await _host.Admin.PostAsync($"/api/deliveries/{Guid.NewGuid()}/redeliver", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RedeliveringNeedsAnAdminToken()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        var (_, pushed) = await _host.PushAsync(url, secret, CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("anon-1"))));
        var id = pushed.GetProperty("deliveryId").GetGuid();

        var response = await _host.Client.PostAsync($"/api/deliveries/{id}/redeliver", null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty((await _host.GetAsync($"/api/deliveries/{id}")).GetProperty("redeliveries").EnumerateArray());
    }
}
