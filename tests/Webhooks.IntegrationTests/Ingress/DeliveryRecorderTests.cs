using System.Security.Cryptography;
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

        Assert.All(await Task.WhenAll(goodWrites), recorded => Assert.Equal(RecordOutcome.Committed, recorded.Outcome));
        await Assert.ThrowsAsync<PostgresException>(() => badWrite);
        var stored = (await DeliveriesAsync()).Select(d => d.Id).ToHashSet();
        Assert.All(good, row => Assert.Contains(row.Row.Id, stored));
        Assert.DoesNotContain(bad.Row.Id, stored);
    }

    [Fact]
    public async Task SecondRowWithTheSameDedupeKeyIsReportedAsADuplicateOfTheFirst()
    {
        var recorder = Factory.Services.GetRequiredService<DeliveryRecorder>();
        var first = Row("cloud", dedupeKey: "scope:delivery-1");
        var second = Row("cloud", dedupeKey: "scope:delivery-1");

        Assert.Equal(new Recorded(RecordOutcome.Committed, null), await recorder.RecordAsync(first, CancellationToken.None));
        Assert.Equal(new Recorded(RecordOutcome.Duplicate, first.Row.Id), await recorder.RecordAsync(second, CancellationToken.None));
        Assert.DoesNotContain(second.Row.Id, (await DeliveriesAsync()).Select(d => d.Id));
    }

    [Fact]
    public async Task TheSameBodyUnderANewDeliveryIdInTheSameScopeIsADuplicateAndInAnotherScopeIsNot()
    {
        var recorder = Factory.Services.GetRequiredService<DeliveryRecorder>();
        var body = RandomNumberGenerator.GetBytes(32);
        var first = Row("cloud", dedupeKey: "receiver-a:delivery-1", scope: "receiver-a", bodySha256: body);
        var replay = Row("cloud", dedupeKey: "receiver-a:delivery-2", scope: "receiver-a", bodySha256: body);
        var elsewhere = Row("cloud", dedupeKey: "receiver-b:delivery-1", scope: "receiver-b", bodySha256: body);

        Assert.Equal(RecordOutcome.Committed, (await recorder.RecordAsync(first, CancellationToken.None)).Outcome);
        Assert.Equal(new Recorded(RecordOutcome.Duplicate, first.Row.Id), await recorder.RecordAsync(replay, CancellationToken.None));
        Assert.Equal(RecordOutcome.Committed, (await recorder.RecordAsync(elsewhere, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task AnAcceptedRowStartsItsLifecycleAndOthersStartNone()
    {
        var recorder = Factory.Services.GetRequiredService<DeliveryRecorder>();
        var routed = Row("cloud", dedupeKey: "scope:routed");
        var pullRequest = Row("cloud", dedupeKey: "scope:pull-request", state: DeliveryState.Processed);
        var ignored = Row("cloud", dedupeKey: "scope:ignored", state: null);

        foreach (var row in new[] { routed, pullRequest, ignored })
        {
            Assert.Equal(RecordOutcome.Committed, (await recorder.RecordAsync(row, CancellationToken.None)).Outcome);
        }

        Assert.Equal(DeliveryState.Accepted, await StateAsync(routed.Row.Id));
        Assert.Equal(DeliveryState.Processed, await StateAsync(pullRequest.Row.Id));
        Assert.Null(await StateAsync(ignored.Row.Id));
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

            var committed = copies.Zip(outcomes).Where(pair => pair.Second.Outcome == RecordOutcome.Committed).Select(pair => pair.First.Row.DedupeKey).ToList();
            Assert.Equal(keys.Order(), committed.Order());
            Assert.Equal(copies.Count - keys.Count, outcomes.Count(recorded => recorded.Outcome == RecordOutcome.Duplicate));
        }
    }

    /// <summary>A row as ingress hands it over; each with a body of its own unless <paramref name="bodySha256"/> says otherwise.</summary>
    private static NewDelivery Row(
        string source, string? dedupeKey = null, string? scope = null, byte[]? bodySha256 = null, DeliveryState? state = DeliveryState.Accepted) =>
        new(new Delivery
        {
            ReceivedAt = DateTimeOffset.UtcNow,
            Source = source,
            Event = "repo:push",
            Outcome = DeliveryOutcome.Accepted,
            StatusCode = 202,
            DedupeKey = dedupeKey,
            BodySha256 = bodySha256 ?? RandomNumberGenerator.GetBytes(32),
        }, state, scope ?? dedupeKey?.Split(':')[0]);
}
