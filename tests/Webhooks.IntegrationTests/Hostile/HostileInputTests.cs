using System.Net;
using System.Text.Json;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// The hostile corpus against the Receiver on real Kestrel: every request gets the answer of the ingress contract
/// (problem details from our code, or Kestrel's own answer for what never reaches it), leaves exactly the history rows
/// it should (no accepted delivery, no body without a valid signature), nothing answers 5xx, the service stays
/// healthy, and the managed heap after a forced collection is about where it started.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class HostileInputTests(StorageFixture storage, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Project = "hostile";

    /// <summary>Generous: caches, pools and compiled queries may grow; a leak of request bodies (~1 MiB each) would not fit.</summary>
    private const long HeapGrowthBound = 128L * 1024 * 1024;

    private HostileServer _server = null!;

    public Task InitializeAsync()
    {
        _server = HostileServer.Start(storage);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryHostileRequestGetsItsAnswerLeavesOnlyItsRecordAndTheHeapStaysFlat()
    {
        var (decoyUrl, decoySecret) = await _server.CreateReceiverAsync(Project, "decoy");
        var webhookToken = await _server.CreateWebhookTokenAsync(Project);
        var warmUp = await TargetAsync("warm-up", decoyUrl, decoySecret, webhookToken);
        Assert.Equal(202, (await warmUp.SendAsync(warmUp.Cloud(HostileCorpus.Push, warmUp.Secret))).Status);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var failures = new List<string>();
        var unrecorded = new List<(HostileCase Case, string RequestId)>();
        var number = 0;
        foreach (var hostile in HostileCorpus.All)
        {
            var target = await TargetAsync($"case-{++number:000}", decoyUrl, decoySecret, webhookToken);
            try
            {
                await CheckAsync(hostile, target);
                if (hostile.Rows.Length == 0)
                {
                    unrecorded.Add((hostile, target.RequestId));
                }
            }
            catch (Exception exception)
            {
                failures.Add($"#{number} {hostile.Name}: {exception.Message}");
            }
        }

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{HostileCorpus.All.Count} hostile exchanges; managed heap {heapBefore / 1024 / 1024} MiB before, {heapAfter / 1024 / 1024} MiB after (bound: +{HeapGrowthBound / 1024 / 1024} MiB)");

        // Requests that never reached ingress left nothing: once a later rejection is in the history, none of them is.
        var marker = await TargetAsync("marker", decoyUrl, decoySecret, webhookToken);
        Assert.Equal(404, (await marker.SendAsync(marker.Cloud(HostileCorpus.Push, "x", url: "/webhooks/bitbucket/" + new string('M', 43)))).Status);
        await Poll.UntilAsync(() => _server.DeliveriesAsync(marker.RequestId), rows => rows.Count == 1, "the marker rejection");
        foreach (var (hostile, requestId) in unrecorded)
        {
            if ((await _server.DeliveriesAsync(requestId)).Count is var count and > 0)
            {
                failures.Add($"{hostile.Name}: never reached ingress, yet {count} history row(s) carry its request id");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {HostileCorpus.All.Count} hostile cases went wrong:\n" + string.Join("\n", failures));
        Assert.True(HostileCorpus.All.Count >= 60, $"the corpus has {HostileCorpus.All.Count} cases");
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/health")).StatusCode);
        Assert.True(heapAfter - heapBefore < HeapGrowthBound, $"the managed heap grew by {(heapAfter - heapBefore) / 1024 / 1024} MiB");
    }

    private async Task CheckAsync(HostileCase hostile, HostileTarget target)
    {
        var answer = await hostile.Send(target);
        Assert.True(answer.Status < 500, $"answered {answer.Status}: {answer.Body}");
        Assert.True(answer.Status == hostile.Status, $"expected {hostile.Status}, got {answer.Status}: {Shorten(answer.Body)}");

        Guid? problemDeliveryId = null;
        if (hostile.IsProblem)
        {
            Assert.True(answer.ContentType?.StartsWith("application/problem+json") == true, $"content type {answer.ContentType}: {Shorten(answer.Body)}");
            using var problem = JsonDocument.Parse(answer.Body);
            Assert.Equal(hostile.Status, problem.RootElement.GetProperty("status").GetInt32());
            var detail = problem.RootElement.TryGetProperty("detail", out var text) ? text.GetString() ?? "" : "";
            Assert.True(hostile.Reason is null || detail.Contains(hostile.Reason, StringComparison.OrdinalIgnoreCase),
                $"detail '{detail}' does not say '{hostile.Reason}'");
            AssertNoSecret(answer.Body, target);
            if (problem.RootElement.TryGetProperty("deliveryId", out var id))
            {
                problemDeliveryId = id.GetGuid();
            }
        }

        if (hostile.Rows.Length == 0)
        {
            return;
        }

        var rows = await Poll.UntilAsync(() => _server.DeliveriesAsync(target.RequestId), rows => rows.Count >= hostile.Rows.Length,
            $"{hostile.Rows.Length} history row(s) for '{hostile.Name}'");
        Assert.Equal(hostile.Rows, rows.Select(row => row.Outcome));
        var last = rows[^1];
        Assert.Equal(hostile.RecordedStatus, last.StatusCode);
        if (!hostile.BodyKept)
        {
            Assert.True(last.CompressedBody is null, "the body was kept without a valid signature");
        }

        if (last.Outcome == DeliveryOutcome.Rejected)
        {
            Assert.Null(await _server.StateAsync(last.Id));
            Assert.Null(last.DedupeKey);
            if (hostile.IsProblem)
            {
                Assert.Equal(problemDeliveryId, last.Id);
            }
        }
    }

    private async Task<HostileTarget> TargetAsync(string name, string decoyUrl, string decoySecret, string webhookToken)
    {
        var (url, secret) = await _server.CreateReceiverAsync(Project, name);
        return new HostileTarget(_server, Project, url, secret, $"{Project}-{name}-{Guid.NewGuid():N}", decoyUrl, decoySecret, webhookToken);
    }

    private static void AssertNoSecret(string body, HostileTarget target)
    {
        foreach (var secret in new[] { target.Secret, target.DecoySecret, target.WebhookToken, target.Server.Factory.AdminToken })
        {
            Assert.DoesNotContain(secret, body);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
