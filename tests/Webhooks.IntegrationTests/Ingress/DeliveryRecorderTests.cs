using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Receiver.Ingress.Recording;

namespace Webhooks.IntegrationTests.Ingress;

[Collection(StorageCollection.Name)]
public sealed class DeliveryRecorderTests(StorageFixture storage) : IngressTestBase(storage, "recorder")
{
    [Fact]
    public async Task ARowTheDatabaseRefusesFailsOnlyItsOwnRequest()
    {
        var recorder = Factory.Services.GetRequiredService<DeliveryRecorder>();
        var good = Enumerable.Range(0, 20).Select(_ => Row("cloud")).ToList();
        var bad = Row(new string('x', 100)); // longer than the Source column allows

        var goodWrites = good.Select(row => recorder.RecordAsync(row, CancellationToken.None)).ToList();
        var badWrite = recorder.RecordAsync(bad, CancellationToken.None);

        Assert.All(await Task.WhenAll(goodWrites), outcome => Assert.Equal(RecordOutcome.Committed, outcome));
        await Assert.ThrowsAsync<PostgresException>(() => badWrite);
        var stored = (await DeliveriesAsync()).Select(d => d.Id).ToHashSet();
        Assert.All(good, row => Assert.Contains(row.Id, stored));
        Assert.DoesNotContain(bad.Id, stored);
    }

    [Fact]
    public async Task SecondRowWithTheSameDedupeKeyIsReportedAsDuplicate()
    {
        var recorder = Factory.Services.GetRequiredService<DeliveryRecorder>();
        var first = Row("cloud", dedupeKey: "scope:delivery-1");
        var second = Row("cloud", dedupeKey: "scope:delivery-1");

        Assert.Equal(RecordOutcome.Committed, await recorder.RecordAsync(first, CancellationToken.None));
        Assert.Equal(RecordOutcome.DuplicateKey, await recorder.RecordAsync(second, CancellationToken.None));
    }

    [Fact]
    public async Task CopiesOfTheSameDeliveriesInConcurrentBatchesAreAllAnsweredWithExactlyOneCommittedEach()
    {
        // A dedupe storm: every copy arrives together with copies of other deliveries, in any order, so concurrent
        // batches hold the same dedupe keys. Taken in different orders those keys deadlocked the batches (503s).
        var recorder = Factory.Services.GetRequiredService<DeliveryRecorder>();
        for (var round = 0; round < 5; round++)
        {
            var keys = Enumerable.Range(0, 300).Select(i => $"storm-{round}:delivery-{i}").ToList();
            var copies = Enumerable.Range(0, 10)
                .SelectMany(_ => keys.OrderBy(_ => Random.Shared.Next()).Select(key => Row("cloud", dedupeKey: key)))
                .ToList();

            var outcomes = await Task.WhenAll(copies.Select(row => recorder.RecordAsync(row, CancellationToken.None)));

            var committed = copies.Zip(outcomes).Where(pair => pair.Second == RecordOutcome.Committed).Select(pair => pair.First.DedupeKey).ToList();
            Assert.Equal(keys.Order(), committed.Order());
            Assert.Equal(copies.Count - keys.Count, outcomes.Count(outcome => outcome == RecordOutcome.DuplicateKey));
        }
    }

    private static Delivery Row(string source, string? dedupeKey = null) => new()
    {
        ReceivedAt = DateTimeOffset.UtcNow,
        Source = source,
        Event = "repo:push",
        Outcome = DeliveryOutcome.Accepted,
        State = DeliveryState.Accepted,
        StatusCode = 202,
        DedupeKey = dedupeKey,
        BodySha256 = new byte[32],
    };
}
