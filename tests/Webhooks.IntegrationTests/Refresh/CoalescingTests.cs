using System.Net;
using System.Text.Json;
using Webhooks.Grains.Discovery;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>One refresh of a warehouse at a time; whatever arrives meanwhile collapses into one follow-up.</summary>
[Collection(StorageCollection.Name)]
public sealed class CoalescingTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_burst");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task BurstOfFiftyPushesNeverOverlapsRefreshesAndEndsWithTheLastHead()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        // Besides the pushed repository, the warehouse lists a slow git repository on every refresh, so each refresh
        // takes long enough for the burst to arrive while it runs.
        const string slowRepo = "https://bitbucket.org/acme/slow.git";
        _host.RefLister.Set(slowRepo, new RemoteRef("HEAD", CloudPush.Hash("slow")), new RemoteRef("refs/heads/main", CloudPush.Hash("slow")));
        _host.RefLister.Delay = TimeSpan.FromMilliseconds(150);
        await _host.CreateWarehouseAsync("acme", "burst", [
            new { repoUrl = "https://bitbucket.org/acme/burst", branch = "main" },
            new { repoUrl = slowRepo, discovery = "git" },
        ]);
        var heads = Enumerable.Range(1, 50).Select(i => CloudPush.Hash($"burst-{i}")).ToList();

        var answers = await Task.WhenAll(heads.Select(head =>
            _host.PushAsync(url, secret, CloudPush.Body("acme/burst", CloudPush.Branch("main", head)))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.All(answers, a => Assert.Equal(1, a.Answer.GetProperty("warehouses").GetInt32()));
        // The answers come before the dispatch: the warehouse can be idle between two dispatch batches, so wait for every
        // push's request to be decided, then for the warehouse to be idle.
        await Poll.UntilAsync(() => _host.RequestsAsync("acme", "burst"),
            rs => rs.Count(r => r.GetProperty("reason").GetString() == "push"
                && r.TryGetProperty("outcome", out var o) && o.ValueKind == JsonValueKind.String) == heads.Count,
            "every push's refresh request to be decided", TimeSpan.FromSeconds(60));
        await _host.IdleAsync("acme", "burst", TimeSpan.FromSeconds(60));

        // Besides the 50 pushes, the sweeper may have asked for the git subscription's first interval listing.
        var allRequests = await _host.RequestsAsync("acme", "burst");
        var requests = allRequests.Where(r => r.GetProperty("reason").GetString() == "push").ToList();
        Assert.Equal(50, requests.Count);
        // A request whose push was received before the push of the Freight a refresh already made is superseded (its head
        // is older); the others were refreshed or coalesced.
        Assert.All(requests, r => Assert.Contains(r.GetProperty("outcome").GetString(), new[] { "refreshed", "coalesced", "superseded" }));
        var superseded = allRequests.Count(r => r.GetProperty("outcome").GetString() == "superseded");
        var refreshes = (await _host.RefreshesAsync("acme", "burst"))
            .Select(r => (Start: r.GetProperty("startedAt").GetDateTimeOffset(), End: r.GetProperty("finishedAt").GetDateTimeOffset(),
                Requests: r.GetProperty("requests").GetInt32(), Coalesced: r.GetProperty("coalesced").GetInt32()))
            .OrderBy(r => r.Start)
            .ToList();
        Assert.True(refreshes.Count < 50, $"{refreshes.Count} refreshes for 50 requests: nothing was coalesced");
        Assert.Equal(allRequests.Count - superseded, refreshes.Sum(r => r.Requests));
        Assert.Equal(allRequests.Count - superseded - refreshes.Count, refreshes.Sum(r => r.Coalesced));
        Assert.Equal(allRequests.Count - superseded - refreshes.Count, allRequests.Count(r => r.GetProperty("outcome").GetString() == "coalesced"));
        for (var i = 1; i < refreshes.Count; i++)
        {
            Assert.True(refreshes[i].Start >= refreshes[i - 1].End,
                $"refresh {i} started at {refreshes[i].Start:O} before refresh {i - 1} ended at {refreshes[i - 1].End:O}");
        }

        // The push received last (push order, whatever order the warehouse got them in) announced the head its last Freight has.
        var received = new List<(DateTimeOffset At, Guid Delivery)>();
        foreach (var answer in answers)
        {
            var delivery = answer.Answer.GetProperty("deliveryId").GetGuid();
            received.Add(((await _host.GetAsync($"/api/deliveries/{delivery}")).GetProperty("receivedAt").GetDateTimeOffset(), delivery));
        }

        var lastDelivery = received.OrderBy(r => r.At).ThenBy(r => r.Delivery).Last().Delivery;
        var lastHead = heads[Array.FindIndex(answers, a => a.Answer.GetProperty("deliveryId").GetGuid() == lastDelivery)];
        var freight = (await _host.FreightAsync("acme", "burst")).Where(f => f.GetProperty("repositoryKey").GetString() == "bitbucket.org/acme/burst").ToList();
        Assert.Equal(lastHead, freight[0].GetProperty("commit").GetString());
        Assert.True(freight.Count <= refreshes.Count);
    }
}
