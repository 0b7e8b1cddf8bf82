using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Ingress;

/// <summary>
/// The smallest payloads Kargo's Bitbucket receiver accepts reach the warehouses that follow their repository; a payload
/// whose repository cannot be identified is refused with a 400 that says what is missing.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class MinimalPayloadTests(StorageFixture storage) : IngressTestBase(storage, "minimal_payloads")
{
    private const string Hash = "2222222222222222222222222222222222222222";

    [Fact]
    public async Task CloudPushWithOnlyTheRepositoryWebLinkRefreshesTheWarehouseThatFollowsIt()
    {
        await FollowAsync("cloud", "https://bitbucket.org/acme/kargo-minimal.git");
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "cloud", "kargo");
        var body = Encoding.UTF8.GetBytes("""
            {"push":{"changes":[{"new":{"type":"branch","name":"main","target":{"hash":"HASH"}}}]},
             "repository":{"links":{"html":{"href":"https://bitbucket.org/acme/kargo-minimal"}}}}
            """.Replace("HASH", Hash));

        var response = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, answer.GetProperty("warehouses").GetInt32());
        var row = await DeliveryAsync(answer.GetProperty("deliveryId").GetGuid());
        Assert.Equal("bitbucket.org/acme/kargo-minimal", row.RepositoryKey);
    }

    [Theory]
    [InlineData("repo:refs_changed", """{"changes":[{"ref":{"id":"refs/heads/main","displayId":"main","type":"BRANCH"},"fromHash":"1111111111111111111111111111111111111111","toHash":"2222222222222222222222222222222222222222","type":"UPDATE"}],"repository":{"links":{"clone":[{"href":"https://git.example.com/scm/kargo/minimal.git","name":"http"}]}}}""", 1)]
    [InlineData("pr:merged", """{"pullRequest":{"toRef":{"repository":{"links":{"clone":[{"href":"ssh://git@git.example.com:7999/kargo/minimal.git","name":"ssh"}]}}}}}""", null)]
    public async Task DataCenterEventWithOnlyCloneLinksIsAcceptedForItsRepository(string eventKey, string json, int? warehouses)
    {
        await FollowAsync("dc", "https://git.example.com/scm/kargo/minimal.git");
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "dc", $"r-{Guid.NewGuid():N}"[..20]);

        var response = await Client.SendAsync(BitbucketSender.DataCenter(url, eventKey, Encoding.UTF8.GetBytes(json), secret));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", answer.GetProperty("outcome").GetString());
        if (warehouses is { } expected)
        {
            Assert.Equal(expected, answer.GetProperty("warehouses").GetInt32());
        }

        var row = await DeliveryAsync(answer.GetProperty("deliveryId").GetGuid());
        Assert.Equal("git.example.com/kargo/minimal", row.RepositoryKey);
    }

    [Fact]
    public async Task APushWhoseRepositoryCannotBeIdentifiedIsRefusedSayingWhatIsMissing()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "cloud", "anonymous");
        var body = Encoding.UTF8.GetBytes("""{"push":{"changes":[{"new":{"type":"branch","name":"main","target":{"hash":"HASH"}}}]},"repository":{"name":"api"}}""".Replace("HASH", Hash));

        var response = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var detail = problem.GetProperty("detail").GetString();
        Assert.Contains("repository.full_name", detail);
        Assert.Contains("repository.links.html.href", detail);
        // Rejections are recorded after the answer.
        var id = problem.GetProperty("deliveryId").GetGuid();
        var rows = await DeliveriesWhenAsync(rows => rows.Any(d => d.Id == id), "the rejection to be recorded");
        Assert.Equal(DeliveryOutcome.Rejected, rows.Single(d => d.Id == id).Outcome);
    }

    private async Task FollowAsync(string project, string repoUrl)
    {
        var created = await Admin.PostAsJsonAsync("/api/projects", new { name = project });
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict);
        var warehouse = await Admin.PostAsJsonAsync($"/api/projects/{project}/warehouses",
            new { name = $"w-{Guid.NewGuid():N}"[..20], subscriptions = new[] { new { repoUrl, branch = "main" } } });
        Assert.Equal(HttpStatusCode.Created, warehouse.StatusCode);
    }
}
