using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Webhooks.Grains.Abstractions;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>The refresh meter tells an operator what the database says happened: requests, refreshes, and their outcomes.</summary>
[Collection(StorageCollection.Name)]
public sealed class RefreshMetricsTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await RefreshCluster.StartAsync(storage, "grain_metrics");
        _cluster.Probe.Delay = TimeSpan.FromMilliseconds(100);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task CountersAfterBurstsMatchTheRecordedRequestsAndRefreshes()
    {
        var meters = _cluster.Silos.Single().ServiceProvider.GetRequiredService<IMeterFactory>();
        using var requested = Collect<long>(meters, "webhooks.refresh.requests");
        using var started = Collect<long>(meters, "webhooks.refresh.started");
        using var coalesced = Collect<long>(meters, "webhooks.refresh.coalesced");
        using var deduplicated = Collect<long>(meters, "webhooks.refresh.deduplicated");
        using var duration = Collect<double>(meters, "webhooks.refresh.duration");
        var warehouse = await _cluster.CreateWarehouseAsync("metered");
        var grain = _cluster.Warehouse(warehouse);

        // A burst of new heads, then one that repeats the head the first ended with besides new ones.
        var first = Enumerable.Range(1, 300).Select(i => CloudPush.Hash($"metered-{i}")).ToList();
        await Task.WhenAll(first.Select(head => grain.RequestRefreshAsync(warehouse.Push(head))));
        await _cluster.IdleAsync(warehouse);
        var latest = (await _cluster.FreightAsync(warehouse))[0].Commit;
        var second = Enumerable.Range(1, 300).Select(i => CloudPush.Hash($"metered-again-{i}")).Concat(Enumerable.Repeat(latest, 200)).ToList();
        await Task.WhenAll(second.Select(head => grain.RequestRefreshAsync(warehouse.Push(head))));
        await _cluster.IdleAsync(warehouse);

        var requests = await _cluster.RequestsAsync(warehouse);
        var refreshes = await _cluster.RefreshesAsync(warehouse);
        Assert.Equal(first.Count + second.Count, requests.Count);
        var expected = (
            Requested: (long)requests.Count,
            Started: (long)refreshes.Count,
            Coalesced: (long)requests.Count(r => r.Outcome == RefreshRequestOutcome.Coalesced),
            Deduplicated: (long)requests.Count(r => r.Outcome == RefreshRequestOutcome.Deduplicated),
            Timed: refreshes.Count);
        Assert.True(expected.Deduplicated >= 200, $"only {expected.Deduplicated} requests deduplicated");
        // Counters are added right after the commits the database shows; wait for the last of them.
        var measured = await Poll.UntilAsync(
            () => Task.FromResult((
                Requested: Sum(requested),
                Started: Sum(started),
                Coalesced: Sum(coalesced),
                Deduplicated: Sum(deduplicated),
                Timed: duration.GetMeasurementSnapshot().Count)),
            value => value == expected,
            "the refresh counters to match the database");
        Assert.Equal(expected, measured);
        Assert.All(requested.GetMeasurementSnapshot(), m => Assert.Equal("push", m.Tags["reason"]));
        Assert.All(duration.GetMeasurementSnapshot(), m =>
        {
            Assert.Equal("succeeded", m.Tags["status"]);
            Assert.InRange(m.Value, 0.1, 60);
        });
    }

    private static MetricCollector<T> Collect<T>(IMeterFactory meters, string instrument) where T : struct =>
        new(meters, Telemetry.RefreshMeterName, instrument);

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);
}
