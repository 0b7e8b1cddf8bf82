using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Ingress;

[Collection(StorageCollection.Name)]
public sealed class IngressTests(StorageFixture storage) : IngressTestBase(storage, "ingress")
{
    [Theory]
    [InlineData("cloud-repo-push-signed.json", "repo:push", "accepted", "bitbucket.org/")]
    [InlineData("cloud-repo-push-multiple-changes.json", "repo:push", "accepted", "bitbucket.org/")]
    [InlineData("cloud-repo-push-branch-delete.json", "repo:push", "accepted", "bitbucket.org/")]
    [InlineData("cloud-repo-push-tag-create.json", "repo:push", "accepted", "bitbucket.org/")]
    [InlineData("cloud-pullrequest-created.json", "pullrequest:created", "accepted", "bitbucket.org/")]
    public async Task EveryCloudFixtureIsAcceptedAndRecorded(string fixture, string eventKey, string outcome, string keyPrefix)
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "cloud", $"r-{Guid.NewGuid():N}"[..20]);
        var body = BitbucketSender.Fixture(fixture);
        var requestId = Guid.NewGuid().ToString();

        var response = await Client.SendAsync(BitbucketSender.Cloud(url, eventKey, body, secret, requestId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(outcome, answer.GetProperty("outcome").GetString());
        Assert.Equal(eventKey, answer.GetProperty("event").GetString());
        // No warehouse follows these repositories: routed to none, so the delivery is processed as soon as the
        // dispatch that follows the answer marks it.
        Assert.Equal(0, answer.GetProperty("warehouses").GetInt32());
        var id = answer.GetProperty("deliveryId").GetGuid();
        await Poll.UntilAsync(() => StateAsync(id), state => state == DeliveryState.Processed, "the delivery to be processed");
        var row = await DeliveryAsync(id);
        Assert.Equal(DeliveryOutcome.Accepted, row.Outcome);
        Assert.Equal(202, row.StatusCode);
        Assert.Equal("cloud", row.Source);
        Assert.Equal(requestId, row.RequestId);
        Assert.Equal(1, row.AttemptNumber);
        Assert.Equal(body.Length, row.BodySize);
        Assert.NotNull(row.CompressedBody);
        Assert.StartsWith(keyPrefix, row.RepositoryKey);
        Assert.Equal(eventKey, row.Headers["X-Event-Key"]);
    }

    [Theory]
    [InlineData("server-repo-refs_changed-gp.json", "repo:refs_changed", "server.bitbucket.local/~gopher/")]
    [InlineData("server-repo-refs_changed-jenkins.json", "repo:refs_changed", null)]
    [InlineData("server-repo-refs_changed-update.json", "repo:refs_changed", "git.example.com/")]
    [InlineData("server-mirror-repo_synchronized-refLimitExceeded.json", "mirror:repo_synchronized", null)]
    [InlineData("server-pr-opened-gp.json", "pr:opened", null)]
    public async Task EveryDataCenterFixtureIsAcceptedAndRecorded(string fixture, string eventKey, string? keyPrefix)
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "dc", $"r-{Guid.NewGuid():N}"[..20],
            serverUrl: "https://git.example.com/bitbucket");
        var body = BitbucketSender.Fixture(fixture);

        var response = await Client.SendAsync(BitbucketSender.DataCenter(url, eventKey, body, secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", answer.GetProperty("outcome").GetString());
        var row = await DeliveryAsync(answer.GetProperty("deliveryId").GetGuid());
        Assert.Equal("datacenter", row.Source);
        Assert.Equal(DeliveryOutcome.Accepted, row.Outcome);
        Assert.False(string.IsNullOrEmpty(row.RepositoryKey));
        if (keyPrefix is not null)
        {
            Assert.StartsWith(keyPrefix, row.RepositoryKey);
        }
    }

    [Fact]
    public async Task SignedDataCenterFixtureVerifiesWithItsPublishedSecret()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(Admin, "dc", "published-secret");
        // The fixture was signed with "secret", shorter than the API accepts since secrets need 16 characters: a receiver
        // created before that rule keeps its short secret, and it still verifies.
        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
            var receiver = await db.Receivers.SingleAsync(r => r.Name == "published-secret");
            receiver.ProtectedSecret = scope.ServiceProvider.GetRequiredService<ReceiverSecretProtector>().Protect("secret");
            await db.SaveChangesAsync();
        }

        var body = BitbucketSender.Fixture("server-repo-refs_changed-gp.json");
        var request = BitbucketSender.DataCenter(url, "repo:refs_changed", body, secret: null);
        request.Headers.Add("X-Hub-Signature", "sha256=8a60f7487d167f55886df87d4077192035d76f76a8e0b3a48fd8ae8cad25f391");

        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task RetriedDeliveryIdAnswersDuplicateAndIsRecordedOnce()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "dedupe", "retry");
        var body = BitbucketSender.Fixture("cloud-repo-push-signed.json");
        var requestId = Guid.NewGuid().ToString();

        var first = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret, requestId, attempt: 1));
        var retry = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret, requestId, attempt: 2));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var original = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
        var duplicate = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", duplicate.GetProperty("outcome").GetString());
        Assert.Equal(original, duplicate.GetProperty("deliveryId").GetGuid());
        var rows = (await DeliveriesAsync()).Where(d => d.RequestId == requestId).ToList();
        Assert.Single(rows, d => d.Outcome == DeliveryOutcome.Accepted);
        var repeat = Assert.Single(rows, d => d.Outcome == DeliveryOutcome.Duplicate);
        Assert.Equal(2, repeat.AttemptNumber);
    }

    [Fact]
    public async Task ReplayedBodyUnderANewDeliveryIdIsADuplicate()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "dedupe", "replay");
        var body = BitbucketSender.Fixture("cloud-repo-push-multiple-changes.json");

        var first = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret));
        var replay = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal("duplicate", (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ConcurrentCopiesOfOneDeliveryAreAcceptedExactlyOnce()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "dedupe", "race");
        var body = BitbucketSender.Fixture("cloud-repo-push-tag-create.json");
        var requestId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret, requestId))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var rows = (await DeliveriesAsync()).Where(d => d.RequestId == requestId).ToList();
        Assert.Single(rows, d => d.Outcome == DeliveryOutcome.Accepted);
    }

    [Fact]
    public async Task UnsignedPingIsAnsweredPongWithoutAcceptingAnything()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(Admin, "ping", "dc-test-connection");

        var response = await Client.SendAsync(BitbucketSender.DataCenter(url, "diagnostics:ping", BitbucketSender.Fixture("server-diagnostics-ping.json"), secret: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.DoesNotContain(await DeliveriesAsync(), d => d.Outcome == DeliveryOutcome.Accepted);
    }

    [Fact]
    public async Task UnsignedPushToAReceiverWithASecretIsRejectedAndRecorded()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(Admin, "auth", "unsigned");

        var response = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret: null));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = problem.GetProperty("deliveryId").GetGuid();
        var row = Assert.Single(await DeliveriesWhenAsync(rows => rows.Any(d => d.Id == id), "the rejection row"), d => d.Id == id);
        Assert.Equal(DeliveryOutcome.Rejected, row.Outcome);
        Assert.Equal(401, row.StatusCode);
        Assert.Contains("missing", row.Reason);
        Assert.Null(row.CompressedBody);
        Assert.NotNull(row.BodySha256);
    }

    [Fact]
    public async Task RotatedSecretKeepsTheOldOneValidForTheGracePeriodOnly()
    {
        var (url, oldSecret) = await BitbucketSender.CreateReceiverAsync(Admin, "rotation", "graceful");
        var (immediateUrl, immediateOld) = await BitbucketSender.CreateReceiverAsync(Admin, "rotation", "immediate");
        var rotated = await (await Admin.PostAsJsonAsync("/api/projects/rotation/receivers/graceful/rotate-secret", new { gracePeriod = "01:00:00" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        (await Admin.PostAsJsonAsync("/api/projects/rotation/receivers/immediate/rotate-secret", new { gracePeriod = "00:00:00" })).EnsureSuccessStatusCode();

        var withOld = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), oldSecret));
        var withNew = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), newSecret));
        var expiredOld = await Client.SendAsync(BitbucketSender.Cloud(immediateUrl, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), immediateOld));

        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal(HttpStatusCode.Accepted, withOld.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, withNew.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredOld.StatusCode);
    }

    [Fact]
    public async Task DeletedReceiverAnswers404()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "deleted", "gone");
        var before = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret));

        (await Admin.DeleteAsync("/api/projects/deleted/receivers/gone")).EnsureSuccessStatusCode();
        var after = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), secret));

        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task UnknownEventIsIgnoredButRecorded()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "ignored", "fork");

        var response = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:fork", "{\"repository\":{\"full_name\":\"acme/api\"}}"u8.ToArray(), secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ignored", answer.GetProperty("outcome").GetString());
        var row = await DeliveryAsync(answer.GetProperty("deliveryId").GetGuid());
        Assert.Equal(DeliveryOutcome.Ignored, row.Outcome);
        Assert.Null(await StateAsync(row.Id));
    }

    [Fact]
    public async Task AcceptedDeliveryAppearsInTheHistoryApi()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "history", "api");
        var response = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();

        var page = await Admin.GetFromJsonAsync<JsonElement>("/api/deliveries?project=history&outcome=accepted");
        var detail = await Admin.GetFromJsonAsync<JsonElement>($"/api/deliveries/{id}");

        Assert.Contains(page.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);
        Assert.Equal("repo:push", detail.GetProperty("event").GetString());
        Assert.Equal(JsonValueKind.Object, detail.GetProperty("body").ValueKind);
    }

    [Fact]
    public async Task CredentialsInRequestHeadersNeverReachTheHistory()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "history", "credentials");
        var request = BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret);
        request.Headers.Authorization = new("Bearer", "do-not-store-this-token");
        request.Headers.Add("Cookie", "session=do-not-store-this-cookie");

        var response = await Client.SendAsync(request);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
        var detail = await Admin.GetStringAsync($"/api/deliveries/{id}");
        var row = await DeliveryAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("(redacted)", row.Headers["Authorization"]);
        Assert.Equal("(redacted)", row.Headers["Cookie"]);
        Assert.DoesNotContain("do-not-store", detail);
        Assert.DoesNotContain("do-not-store", string.Concat(row.Headers.Values));
    }
}
