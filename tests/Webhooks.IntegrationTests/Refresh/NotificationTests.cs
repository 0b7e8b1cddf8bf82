using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Notifications;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>New Freight is posted downstream through the outbox: signed, once, and never in the way of a refresh.</summary>
[Collection(StorageCollection.Name)]
public sealed class NotificationTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_notify", RefreshHost.QuickNotifications);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task NewFreightIsPostedToTheTargetOnceAndSigned()
    {
        await using var target = await DownstreamTarget.StartAsync();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "ci", [new { repoUrl = "https://bitbucket.org/acme/ci", branch = "main" }],
            notify: new { url = target.Url, secret = "downstream-secret", legacyHubSignature = true });
        var head = CloudPush.Hash("ci-1");

        var (_, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/ci", CloudPush.Branch("main", head)));

        await Poll.UntilAsync(() => Task.FromResult(target.Received.Count), count => count >= 1, "the target to receive the Freight");
        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "ci"),
            f => f.Count == 1 && f[0].GetProperty("notification").GetString() == "delivered", "the notification to be recorded delivered");
        Assert.Single(target.Received);
        var (body, signature, idempotencyKey) = target.Received.Single();
        // The deprecated X-Hub-Signature, asked for here; Standard Webhooks' own headers: StandardWebhooksNotificationTests.
        Assert.Equal(HttpFreightNotifier.Sign("downstream-secret", body), signature);
        var notification = JsonDocument.Parse(body).RootElement;
        Assert.Equal(head, notification.GetProperty("commit").GetString());
        Assert.Equal("refs/heads/main", notification.GetProperty("ref").GetString());
        Assert.Equal("acme", notification.GetProperty("project").GetString());
        Assert.Equal("ci", notification.GetProperty("warehouse").GetString());
        Assert.Equal(answer.GetProperty("deliveryId").GetGuid(), notification.GetProperty("deliveryIds")[0].GetGuid());
        Assert.Equal(freight[0].GetProperty("id").GetGuid().ToString(), idempotencyKey, ignoreCase: true);
        var attempts = await _host.WithDbAsync(db => db.NotificationAttempts.AsNoTracking().ToListAsync());
        var attempt = Assert.Single(attempts);
        Assert.True(attempt.Succeeded);
        Assert.Equal(200, attempt.StatusCode);
        // The same story through the API.
        var detail = await _host.GetAsync($"/api/projects/acme/warehouses/ci/freight/{freight[0].GetProperty("id").GetGuid()}");
        var shown = detail.GetProperty("notification");
        Assert.Equal("delivered", shown.GetProperty("status").GetString());
        Assert.Equal(1, shown.GetProperty("rounds").GetInt32());
        var shownAttempt = Assert.Single(shown.GetProperty("attempts").EnumerateArray());
        Assert.Equal(200, shownAttempt.GetProperty("statusCode").GetInt32());
        Assert.True(shownAttempt.GetProperty("succeeded").GetBoolean());
    }

    [Fact]
    public async Task DeadTargetDoesNotDelayAnotherWarehouse()
    {
        await using var dead = await DownstreamTarget.StartAsync(hang: true);
        await using var alive = await DownstreamTarget.StartAsync();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "stuck", [new { repoUrl = "https://bitbucket.org/acme/stuck", branch = "main" }],
            notify: new { url = dead.Url });
        await _host.CreateWarehouseAsync("acme", "fine", [new { repoUrl = "https://bitbucket.org/acme/fine", branch = "main" }],
            notify: new { url = alive.Url });

        await _host.PushAsync(url, secret, CloudPush.Body("acme/stuck", CloudPush.Branch("main", CloudPush.Hash("stuck-1"))));
        await Poll.UntilAsync(() => _host.WithDbAsync(db => db.NotificationOutbox.AnyAsync(o => o.LockedUntil != null)),
            locked => locked, "the dead target's notification to be in flight");
        var started = Stopwatch.GetTimestamp();
        await _host.PushAsync(url, secret, CloudPush.Body("acme/fine", CloudPush.Branch("main", CloudPush.Hash("fine-1"))));
        await _host.PushAsync(url, secret, CloudPush.Body("acme/stuck", CloudPush.Branch("main", CloudPush.Hash("stuck-2"))));

        await Poll.UntilAsync(() => Task.FromResult(alive.Received.Count), count => count == 1, "the live target to be notified", TimeSpan.FromSeconds(5));
        var elapsed = Stopwatch.GetElapsedTime(started);
        // The dead target's attempts take 3 s each; the other warehouse is refreshed and notified well before.
        Assert.True(elapsed < TimeSpan.FromSeconds(2.5), $"the live target waited {elapsed.TotalMilliseconds:F0} ms");
        // The stuck warehouse keeps refreshing too: its second head is Freight while its first notification hangs.
        await Poll.UntilAsync(() => _host.FreightAsync("acme", "stuck"), f => f.Count == 2, "the stuck warehouse's second Freight", TimeSpan.FromSeconds(2));
        Assert.Empty(dead.Received);
    }
}
