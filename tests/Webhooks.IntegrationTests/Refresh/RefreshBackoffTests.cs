using Webhooks.Grains.Refresh;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>A warehouse whose refresh keeps throwing retries less and less often, not on every sweep, and recovers.</summary>
[Collection(StorageCollection.Name)]
public sealed class RefreshBackoffTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(1200);

    private RefreshCluster _cluster = null!;

    public async Task InitializeAsync() =>
        // The sweeper looks every 200 ms and resumes requests pending for 1 s: without back-off it would retry the
        // broken warehouse five times a second.
        _cluster = await RefreshCluster.StartAsync(storage, "grain_backoff", settings: new Dictionary<string, string?>
        {
            ["Webhooks:Refresh:RetryBaseDelay"] = "00:00:00.300",
            ["Webhooks:Refresh:RetryMaxDelay"] = "00:00:01.200",
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task RefreshThatKeepsThrowingBacksOffExponentiallyAndRecovers()
    {
        var warehouse = await _cluster.CreateWarehouseAsync("broken");
        const int failures = 4;
        var listings = 0;
        // Discovery failing in a way it does not report as a failed listing: the refresh itself throws.
        _cluster.Probe.Failure = url => url == warehouse.ProbeUrl && Interlocked.Increment(ref listings) <= failures
            ? new InvalidOperationException("The listing blew up.")
            : null;
        var head = CloudPush.Hash("broken-1");

        await _cluster.Warehouse(warehouse).RequestRefreshAsync(warehouse.Push(head));
        // More requests while it backs off are recorded, and wait for the next attempt rather than forcing one.
        var during = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _cluster.Warehouse(warehouse).RequestRefreshAsync(warehouse.Push(head))));
        await _cluster.IdleAsync(warehouse, TimeSpan.FromSeconds(30));

        var attempts = _cluster.Probe.Listings.Where(l => l.Url == warehouse.ProbeUrl).OrderBy(l => l.Started).ToList();
        Assert.Equal(failures + 1, attempts.Count);
        for (var n = 1; n <= failures; n++)
        {
            // After the n-th failure in a row the next attempt waits min(base × 2^(n−1), max).
            var wait = TimeSpan.FromTicks(Math.Min(BaseDelay.Ticks << (n - 1), MaxDelay.Ticks));
            var gap = attempts[n].Started - attempts[n - 1].Finished;
            Assert.True(gap >= wait * 0.9, $"attempt {n + 1} came {gap.TotalMilliseconds:F0} ms after failure {n}; the back-off is {wait.TotalMilliseconds:F0} ms");
        }

        var refreshes = await _cluster.RefreshesAsync(warehouse);
        Assert.Equal(
            [.. Enumerable.Repeat(RefreshStatus.Failed, failures), RefreshStatus.Succeeded],
            refreshes.Select(r => r.Status));
        Assert.All(refreshes.Take(failures), r => Assert.Contains("unexpected error", r.Error));
        Assert.DoesNotContain(refreshes, r => r.Error?.Contains("blew up", StringComparison.Ordinal) == true);
        var freight = Assert.Single(await _cluster.FreightAsync(warehouse));
        Assert.Equal(head, freight.Commit);
        var requests = await _cluster.RequestsAsync(warehouse);
        Assert.Equal(1 + during.Length, requests.Count);
        Assert.All(requests, r => Assert.NotNull(r.CompletedAt));
        Assert.Empty(_cluster.Probe.Overlaps);
    }
}
