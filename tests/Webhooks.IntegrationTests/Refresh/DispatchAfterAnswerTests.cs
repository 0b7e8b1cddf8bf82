using System.Net;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Ingress answers once the delivery row is committed and the matching warehouses are counted; asking them and marking
/// the row dispatched happen after the answer, batched across deliveries.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class DispatchAfterAnswerTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_dispatch");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ConcurrentPushesEachHaveTheirOwnCommittedRowWhenAnsweredAndAllEndProcessed()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "one", [new { repoUrl = "https://bitbucket.org/acme/busy", branch = "main" }]);
        await _host.CreateWarehouseAsync("acme", "two", [new { repoUrl = "https://bitbucket.org/acme/busy", branch = "main" }]);
        var heads = Enumerable.Range(0, 40).Select(i => CloudPush.Hash($"busy-{i}")).ToList();

        var answers = await Task.WhenAll(heads.Select(async head =>
        {
            var (status, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/busy", CloudPush.Branch("main", head)));
            var id = answer.GetProperty("deliveryId").GetGuid();
            // Read at once after the answer: the row must already be committed, whatever the other requests do.
            var stored = await _host.WithDbAsync(db => db.Deliveries.AsNoTracking().AnyAsync(d => d.Id == id));
            return (status, answer, id, stored);
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.status));
        Assert.All(answers, a => Assert.True(a.stored, $"delivery {a.id} answered 202 before its row was committed"));
        Assert.All(answers, a => Assert.Equal(2, a.answer.GetProperty("warehouses").GetInt32()));
        Assert.Equal(heads.Count, answers.Select(a => a.id).Distinct().Count());

        var ids = answers.Select(a => a.id).ToList();
        var states = await Poll.UntilAsync(
            () => _host.WithDbAsync(db => db.DeliveryStatus.AsNoTracking().Where(s => ids.Contains(s.DeliveryId)).ToListAsync()),
            rows => rows.Count == ids.Count && rows.All(r => r.State == DeliveryState.Processed),
            "every delivery to be processed");
        Assert.All(states, s => Assert.Equal(2, s.Warehouses));
        var requests = await _host.WithDbAsync(db => db.RefreshRequests.AsNoTracking().CountAsync(r => r.DeliveryId != null && ids.Contains(r.DeliveryId.Value)));
        Assert.Equal(2 * ids.Count, requests);
    }

    [Fact]
    public async Task DeliveryAnsweredButNeverDispatchedIsFinishedBySweeper()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "lost", [new { repoUrl = "https://bitbucket.org/acme/lost", branch = "main" }]);
        var head = CloudPush.Hash("lost-1");
        var (status, answer) = await _host.PushAsync(url, secret, CloudPush.Body("acme/lost", CloudPush.Branch("main", head)));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = answer.GetProperty("deliveryId").GetGuid();
        await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{id}"), d => d.GetProperty("state").GetString() == "processed", "the delivery to be processed");

        // What a silo that died between answering and dispatching leaves: the row committed and accepted, no request.
        await _host.WithDbAsync(async db =>
        {
            await db.RefreshRequests.Where(r => r.DeliveryId == id).ExecuteDeleteAsync();
            return await db.DeliveryProgress.Where(p => p.DeliveryId == id).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.DispatchedAt, (DateTimeOffset?)null)
                .SetProperty(p => p.Warehouses, (int?)null)
                .SetProperty(p => p.ProcessedAt, (DateTimeOffset?)null));
        });

        var detail = await Poll.UntilAsync(() => _host.GetAsync($"/api/deliveries/{id}"),
            d => d.GetProperty("state").GetString() == "processed", "the sweeper to dispatch the delivery again");
        var refresh = Assert.Single(detail.GetProperty("refreshes").EnumerateArray());
        // The head already became Freight on the first dispatch: asking again changes nothing.
        Assert.Equal("deduplicated", refresh.GetProperty("outcome").GetString());
        var freight = Assert.Single(await _host.FreightAsync("acme", "lost"));
        Assert.Equal(head, freight.GetProperty("commit").GetString());
    }
}
