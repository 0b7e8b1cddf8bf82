using System.Net;
using System.Net.Http.Json;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Ingress;

/// <summary>Two receiver replicas on one database and one Redis: a change made through one is seen by the other.</summary>
[Collection(StorageCollection.Name)]
public sealed class ReplicaCacheTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _first = new(storage, "replicas");
    private ReceiverFactory _second = null!;

    public Task InitializeAsync()
    {
        _second = new ReceiverFactory(storage, sameDatabaseAs: _first);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task RotationThroughOneReplicaReachesTheOtherWithinSeconds()
    {
        using var admin = _first.CreateAdminClient();
        using var other = _second.CreateClient();
        var (url, oldSecret) = await BitbucketSender.CreateReceiverAsync(admin, "replicas", "rotating");
        var body = BitbucketSender.Fixture("cloud-repo-push-signed.json");
        // The second replica now holds the receiver (and its old secret) in its memory cache.
        Assert.Equal(HttpStatusCode.Accepted, (await other.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, oldSecret))).StatusCode);

        (await admin.PostAsJsonAsync("/api/projects/replicas/receivers/rotating/rotate-secret", new { gracePeriod = "00:00:00" })).EnsureSuccessStatusCode();

        // Well inside the 10 s the memory cache would otherwise keep the entry: the invalidation was broadcast.
        var status = await Poll.UntilAsync(
            async () => (await other.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), oldSecret))).StatusCode,
            code => code == HttpStatusCode.Unauthorized,
            "the old secret to be refused by the other replica",
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task DeletionThroughOneReplicaReachesTheOtherWithinSeconds()
    {
        using var admin = _first.CreateAdminClient();
        using var other = _second.CreateClient();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(admin, "replicas", "deleted");
        Assert.Equal(HttpStatusCode.Accepted,
            (await other.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret))).StatusCode);

        (await admin.DeleteAsync("/api/projects/replicas/receivers/deleted")).EnsureSuccessStatusCode();

        var status = await Poll.UntilAsync(
            async () => (await other.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), secret))).StatusCode,
            code => code == HttpStatusCode.NotFound,
            "the deleted receiver to be unknown to the other replica",
            TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
