using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Warehouses;

/// <summary>
/// The queries behind the dashboard's "needs attention" and its navigation, on real PostgreSQL: failing notify targets,
/// notifications per Freight, the Freight a delivery produced, rejections grouped by reason, deliveries found by
/// Bitbucket's request id and by repository.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AttentionQueriesTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "attention", RefreshHost.QuickNotifications);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AnUnreachableTargetIsListedAsFailingWithItsFreightWaitingAndAReachableOneIsNot()
    {
        await using var target = await DownstreamTarget.StartAsync();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "reachable", [new { repoUrl = "https://bitbucket.org/acme/api", branch = "main" }],
            notify: new { url = target.Url });
        // Nothing listens on port 1: every attempt fails without an answer.
        await _host.CreateWarehouseAsync("acme", "unreachable", [new { repoUrl = "https://bitbucket.org/acme/web", branch = "main" }],
            notify: new { url = "http://127.0.0.1:1/freight" });
        var health = _host.Services.GetRequiredService<NotificationHealth>();
        var history = _host.Services.GetRequiredService<WarehouseHistory>();

        await _host.PushAsync(url, secret, CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("api-1"))));
        await _host.PushAsync(url, secret, CloudPush.Body("acme/web", CloudPush.Branch("main", CloudPush.Hash("web-1"))));

        var failing = await Poll.UntilAsync(
            async () => await health.ListFailingAsync("acme", CancellationToken.None),
            list => list.Any(t => t.Warehouse == "unreachable" && t.FailedAttempts >= 2),
            "the unreachable target listed as failing after its first round");
        var unreachable = Assert.Single(failing);
        Assert.Equal("http://127.0.0.1:1/freight", unreachable.Target);
        Assert.Equal(1, unreachable.FreightWaiting);
        Assert.False(string.IsNullOrEmpty(unreachable.LastError));
        Assert.True(unreachable.Since <= unreachable.LastAttemptAt);
        Assert.Empty(await health.ListFailingAsync("other-project", CancellationToken.None));

        var delivered = await Poll.UntilAsync(
            async () => (await history.ListFreightNotificationsAsync("acme", "reachable", 1, 10, CancellationToken.None)).Value,
            page => page.Items.Any(n => n.Status == "delivered"), "the reachable target's notification delivered");
        var row = Assert.Single(delivered.Items);
        Assert.Equal((1, 1, "HTTP 200", (DateTimeOffset?)null), (row.Attempts, row.Rounds, row.LastResult, row.NextAttemptAt));
        var pending = (await history.ListFreightNotificationsAsync("acme", "unreachable", 1, 10, CancellationToken.None)).Value;
        var waiting = Assert.Single(pending.Items);
        Assert.Equal("pending", waiting.Status);
        Assert.Equal(2, waiting.Attempts);
        Assert.NotNull(waiting.NextAttemptAt);
        Assert.Equal((1, 1), (pending.Total, pending.Pages));
        Assert.Empty((await history.ListFreightNotificationsAsync("acme", "unreachable", 2, 10, CancellationToken.None)).Value.Items);
        Assert.NotNull((await history.ListFreightNotificationsAsync("acme", "unreachable", 0, 10, CancellationToken.None)).Failure);
    }

    [Fact]
    public async Task ADeliveryLeadsToTheFreightItProducedAndIsFoundByRequestIdAndRepository()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "nav", "cloud");
        await _host.CreateWarehouseAsync("nav", "main", [new { repoUrl = "https://bitbucket.org/nav/api", branch = "main" }]);
        var history = _host.Services.GetRequiredService<WarehouseHistory>();
        var deliveries = _host.Services.GetRequiredService<DeliveryHistory>();
        var requestId = Guid.NewGuid().ToString();
        var body = CloudPush.Body("nav/api", CloudPush.Branch("main", CloudPush.Hash("nav-1")));

        var response = await _host.Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret, requestId));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var deliveryId = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content))
            .GetProperty("deliveryId").GetGuid();
        var rejected = await _host.Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, "not the receiver's secret"));
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);

        var produced = await Poll.UntilAsync(
            () => history.ListFreightOfDeliveryAsync(deliveryId, CancellationToken.None), f => f.Count == 1, "the Freight the push produced");
        Assert.Equal(("nav", "main", "refs/heads/main", CloudPush.Hash("nav-1")), (produced[0].Project, produced[0].Warehouse, produced[0].Ref, produced[0].Commit));
        Assert.Null(produced[0].Notification);
        Assert.Empty(await history.ListFreightOfDeliveryAsync(Guid.NewGuid(), CancellationToken.None));

        var byRequest = await deliveries.ListAsync(new DeliveryFilter(RequestId: requestId), null, 10, CancellationToken.None);
        Assert.Equal(deliveryId, Assert.Single(byRequest.Items).Id);
        var byRepository = await deliveries.ListAsync(new DeliveryFilter(Repository: "NAV/AP"), null, 10, CancellationToken.None);
        Assert.Contains(byRepository.Items, d => d.Id == deliveryId);
        var byCloneUrl = await deliveries.ListAsync(new DeliveryFilter(Repository: "git@bitbucket.org:nav/api.git"), null, 10, CancellationToken.None);
        Assert.Contains(byCloneUrl.Items, d => d.Id == deliveryId);
        var wildcard = await deliveries.ListAsync(new DeliveryFilter(Repository: "nav_api%"), null, 10, CancellationToken.None);
        Assert.Empty(wildcard.Items);

        var reasons = await deliveries.CountRejectionReasonsAsync(DateTimeOffset.UtcNow.AddHours(-1), 10, CancellationToken.None);
        var signature = Assert.Single(reasons, r => r.StatusCode == 401);
        Assert.True(signature.Count >= 1);
        Assert.Contains("signature", signature.Reason, StringComparison.OrdinalIgnoreCase);
    }
}
