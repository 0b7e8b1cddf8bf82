using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Management;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Warehouses;

/// <summary>
/// The warehouse history the dashboard shows and the API does not: every attempt to notify downstream, per warehouse.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class WarehouseHistoryTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "warehouse_history", RefreshHost.QuickNotifications);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EachWarehouseListsItsOwnNotificationAttemptsWithTheirOutcome()
    {
        await using var target = await DownstreamTarget.StartAsync();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "reachable", [new { repoUrl = "https://bitbucket.org/acme/api", branch = "main" }],
            notify: new { url = target.Url });
        // Nothing listens on port 1: every attempt fails without an answer.
        await _host.CreateWarehouseAsync("acme", "unreachable", [new { repoUrl = "https://bitbucket.org/acme/web", branch = "main" }],
            notify: new { url = "http://127.0.0.1:1/freight" });
        var history = _host.Services.GetRequiredService<WarehouseHistory>();

        await _host.PushAsync(url, secret, CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("api-1"))));
        await _host.PushAsync(url, secret, CloudPush.Body("acme/web", CloudPush.Branch("main", CloudPush.Hash("web-1"))));

        var delivered = await Poll.UntilAsync(() => AttemptsAsync(history, "reachable"), a => a.Count == 1, "the reachable target's attempt");
        var failed = await Poll.UntilAsync(() => AttemptsAsync(history, "unreachable"), a => a.Count == 2, "both attempts at the unreachable target");
        var freight = (await history.ListFreightAsync("acme", "reachable", null, CancellationToken.None)).Value;
        Assert.True(delivered[0].Succeeded);
        Assert.Equal(200, delivered[0].StatusCode);
        Assert.Equal(Assert.Single(freight).Id, delivered[0].FreightId);
        Assert.All(failed, attempt =>
        {
            Assert.False(attempt.Succeeded);
            Assert.Null(attempt.StatusCode);
            Assert.False(string.IsNullOrEmpty(attempt.Error));
        });
        Assert.Equal([2, 1], failed.Select(a => a.Attempt));
    }

    [Fact]
    public async Task ListsOfAnUnknownWarehouseOrWithABadLimitSayWhy()
    {
        await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        var history = _host.Services.GetRequiredService<WarehouseHistory>();

        var unknown = await history.ListNotificationAttemptsAsync("acme", "missing", null, CancellationToken.None);
        var badLimit = await history.ListNotificationAttemptsAsync("acme", "missing", 0, CancellationToken.None);

        Assert.Equal(ManagementFailureKind.NotFound, unknown.Failure?.Kind);
        Assert.Equal("Warehouse not found", unknown.Failure?.Title);
        Assert.Equal(ManagementFailureKind.Invalid, badLimit.Failure?.Kind);
        Assert.True(badLimit.Failure!.Errors.ContainsKey("limit"));
    }

    private static async Task<List<WarehouseNotificationAttempt>> AttemptsAsync(WarehouseHistory history, string warehouse)
    {
        var result = await history.ListNotificationAttemptsAsync("acme", warehouse, null, CancellationToken.None);
        return result.Value;
    }
}
