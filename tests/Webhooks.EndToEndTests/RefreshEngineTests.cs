using System.Net;
using System.Text.Json;

namespace Webhooks.EndToEndTests;

/// <summary>
/// The refresh engine as a user meets it, through the whole stack (2 receiver replicas, PostgreSQL, Redis): set up
/// through the management API, signed Bitbucket pushes become Freight on the warehouses that follow the pushed refs,
/// and Freight is posted to a real downstream HTTP server, signed and retried.
/// </summary>
[Collection(RefreshStackCollection.Name)]
public sealed class RefreshEngineTests(RefreshStackFixture stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task CloudAndDataCenterPushesBecomeFreightOnlyOnTheWarehousesFollowingThePushedRefs()
    {
        using var api = Api();
        await api.PostAsync("/api/projects", new { name = "routing" });
        var cloud = await api.PostAsync("/api/projects/routing/receivers", new { name = "cloud" });
        // Old Data Center payloads carry no repository links: the server URL (with its context path) names the repository.
        var dataCenter = await api.PostAsync("/api/projects/routing/receivers", new { name = "dc", serverUrl = "https://git.example.com/bitbucket/" });
        await api.PostAsync("/api/projects/routing/warehouses", new
        {
            name = "cloud-features",
            subscriptions = new[] { new { repoUrl = "git@bitbucket.org:nfalco79/test-repos.git", branch = "feature/*" } },
        });
        await api.PostAsync("/api/projects/routing/warehouses", new
        {
            // No branch or tag: the default branch (master here).
            name = "dc-default",
            subscriptions = new[] { new { repoUrl = "ssh://git@git.example.com:7999/prj/my-repo.git" } },
        });
        await api.PostAsync("/api/projects/routing/warehouses", new
        {
            name = "elsewhere",
            subscriptions = new[] { new { repoUrl = "https://bitbucket.org/nfalco79/another-repo", branch = "**", tag = "**" } },
        });
        var cloudHeads = new[] { BitbucketPayloads.Hash("cloud-1"), BitbucketPayloads.Hash("cloud-2") };
        var dataCenterHead = BitbucketPayloads.Hash("dc-1");

        // Aspire's proxy spreads the deliveries over both replicas: the receiver URL works on either.
        var cloudFirst = await SendAsync(BitbucketPayloads.Cloud(
            ReceiverUrl(cloud), BitbucketPayloads.CloudPush(cloudHeads[0]), Secret(cloud)));
        // Two pushes of one branch that meet before a refresh are coalesced into one Freight (the later head): the second
        // is pushed once the first is Freight, as two pushes minutes apart would be.
        await FreightAsync(api, "routing", "cloud-features", count: 1);
        var dataCenterPush = await SendAsync(BitbucketPayloads.DataCenter(
            ReceiverUrl(dataCenter), BitbucketPayloads.DataCenterPush(dataCenterHead), Secret(dataCenter)));
        var cloudSecond = await SendAsync(BitbucketPayloads.Cloud(
            ReceiverUrl(cloud), BitbucketPayloads.CloudPush(cloudHeads[1]), Secret(cloud)));

        var cloudFreight = await FreightAsync(api, "routing", "cloud-features", count: 2);
        Assert.Equal(cloudHeads.Order(), cloudFreight.Select(f => f.GetProperty("commit").GetString()!).Order());
        foreach (var freight in cloudFreight)
        {
            Assert.Equal("refs/heads/feature/webhook", freight.GetProperty("ref").GetString());
            Assert.Equal("bitbucket.org/nfalco79/test-repos", freight.GetProperty("repositoryKey").GetString());
            Assert.Equal("Test for webhook signature", freight.GetProperty("message").GetString());
            Assert.Equal("Nikolas Falco", freight.GetProperty("author").GetString());
        }

        Assert.Equal([cloudFirst], DeliveryIds(cloudFreight.Single(f => f.GetProperty("commit").GetString() == cloudHeads[0])));
        Assert.Equal([cloudSecond], DeliveryIds(cloudFreight.Single(f => f.GetProperty("commit").GetString() == cloudHeads[1])));

        var dataCenterFreight = Assert.Single(await FreightAsync(api, "routing", "dc-default", count: 1));
        Assert.Equal(dataCenterHead, dataCenterFreight.GetProperty("commit").GetString());
        Assert.Equal("refs/heads/master", dataCenterFreight.GetProperty("ref").GetString());
        Assert.Equal("git.example.com/prj/my-repo", dataCenterFreight.GetProperty("repositoryKey").GetString());
        Assert.Equal([dataCenterPush], DeliveryIds(dataCenterFreight));

        // Every delivery ends processed, having asked exactly the one warehouse that follows its ref.
        foreach (var (delivery, warehouse) in new[] { (cloudFirst, "cloud-features"), (dataCenterPush, "dc-default"), (cloudSecond, "cloud-features") })
        {
            var detail = await ProcessedAsync(api, delivery);
            Assert.Equal(1, detail.GetProperty("answer").GetProperty("warehouses").GetInt32());
            var refresh = Assert.Single(detail.GetProperty("refreshes").EnumerateArray());
            Assert.Equal(warehouse, refresh.GetProperty("warehouse").GetString());
            Assert.Equal("refreshed", refresh.GetProperty("outcome").GetString());
        }

        Assert.Empty((await api.GetAsync("/api/projects/routing/warehouses/elsewhere/freight")).EnumerateArray());
        Assert.Empty((await api.GetAsync("/api/projects/routing/warehouses/elsewhere/requests")).EnumerateArray());
        Assert.Equal("idle", (await api.GetAsync("/api/projects/routing/warehouses/elsewhere")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task FreightIsPostedSignedWithAnIdempotencyKeyAndATargetFailingTwiceGetsExactlyThreeAttempts()
    {
        await using var downstream = await DownstreamServer.StartAsync();
        const string notifySecret = "downstream-secret-0f1e2d";
        var target = downstream.Url("/hooks/freight", n => n < 2 ? 500 : 200);
        using var api = Api();
        await api.PostAsync("/api/projects", new { name = "notify" });
        var cloud = await api.PostAsync("/api/projects/notify/receivers", new { name = "cloud" });
        await api.PostAsync("/api/projects/notify/warehouses", new
        {
            name = "ci",
            subscriptions = new[] { new { repoUrl = "https://bitbucket.org/nfalco79/notified-repo.git", branch = "feature/**" } },
            notify = new { url = target, secret = notifySecret, legacyHubSignature = true },
        });
        var head = BitbucketPayloads.Hash("notify-1");

        var delivery = await SendAsync(BitbucketPayloads.Cloud(
            ReceiverUrl(cloud), BitbucketPayloads.CloudPush(head, slug: "notified-repo"), Secret(cloud)));

        var freightId = Assert.Single(await FreightAsync(api, "notify", "ci", count: 1)).GetProperty("id").GetGuid();
        var detail = await Eventually.UntilAsync(
            () => api.GetAsync($"/api/projects/notify/warehouses/ci/freight/{freightId}"),
            freight => freight.GetProperty("notification").GetProperty("status").GetString() == "delivered",
            Patience,
            "the notification to be recorded delivered");
        var notification = detail.GetProperty("notification");
        Assert.Equal(1, notification.GetProperty("rounds").GetInt32());
        var attempts = notification.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal([false, false, true], attempts.Select(a => a.GetProperty("succeeded").GetBoolean()));

        // The server saw the same three requests: one event, signed with the warehouse's notify secret, one idempotency id.
        var received = downstream.ReceivedAt("/hooks/freight");
        Assert.Equal(3, received.Count);
        foreach (var request in received)
        {
            Assert.Equal(BitbucketPayloads.Signature(notifySecret, request.Body), request.Headers["X-Hub-Signature"]);
            Assert.Equal(freightId, Guid.Parse(request.Headers["Idempotency-Key"]));
            Assert.Equal(freightId, Guid.Parse(request.Headers["webhook-id"]));
            Assert.Equal("freight.created", request.Headers["X-Webhooks-Event"]);
            Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
            Assert.Equal(received[0].Body, request.Body);
        }

        var posted = JsonDocument.Parse(received[0].Body).RootElement;
        Assert.Equal(freightId, posted.GetProperty("freightId").GetGuid());
        Assert.Equal("notify", posted.GetProperty("project").GetString());
        Assert.Equal("ci", posted.GetProperty("warehouse").GetString());
        Assert.Equal("bitbucket.org/nfalco79/notified-repo", posted.GetProperty("repositoryKey").GetString());
        Assert.Equal("refs/heads/feature/webhook", posted.GetProperty("ref").GetString());
        Assert.Equal(head, posted.GetProperty("commit").GetString());
        Assert.Equal([delivery], posted.GetProperty("deliveryIds").EnumerateArray().Select(e => e.GetGuid()));
    }

    private ManagementApi Api() => new(stack.Stack.Receiver, stack.Stack.AdminToken);

    /// <summary>The receiver's URL on the stack's receiver endpoint (Aspire's proxy spreads requests over the replicas).</summary>
    private Uri ReceiverUrl(JsonElement receiver) =>
        new(stack.Stack.Receiver, new Uri(receiver.GetProperty("url").GetString()!).PathAndQuery);

    private static string Secret(JsonElement receiver) => receiver.GetProperty("secret").GetString()!;

    /// <summary>Sends a Bitbucket delivery, expects it accepted, returns its id.</summary>
    private async Task<Guid> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await stack.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{request.RequestUri}: {(int)response.StatusCode} {text}");
            var answer = JsonDocument.Parse(text).RootElement;
            Assert.Equal("accepted", answer.GetProperty("outcome").GetString());
            return answer.GetProperty("deliveryId").GetGuid();
        }
    }

    private static Task<List<JsonElement>> FreightAsync(ManagementApi api, string project, string warehouse, int count) =>
        Eventually.UntilAsync(
            async () => (await api.GetAsync($"/api/projects/{project}/warehouses/{warehouse}/freight")).EnumerateArray().ToList(),
            freight => freight.Count >= count,
            Patience,
            $"{count} Freight on {project}/{warehouse}");

    private static Task<JsonElement> ProcessedAsync(ManagementApi api, Guid delivery) =>
        Eventually.UntilAsync(
            () => api.GetAsync($"/api/deliveries/{delivery}"),
            detail => detail.GetProperty("state").GetString() == "processed",
            Patience,
            $"delivery {delivery} to be processed");

    private static Guid[] DeliveryIds(JsonElement freight) =>
        freight.GetProperty("deliveryIds").EnumerateArray().Select(e => e.GetGuid()).ToArray();
}
