using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Grains.SmartCommits;
using Webhooks.IntegrationTests.Dashboard;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Ingress;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// Hostile content inside correctly signed pushes: text that means something to SQL or to a browser is data, stored
/// and served back exactly as sent (JSON strings from the API, escaped text on the dashboard); a commit message crafted against a project's own issue pattern cannot stall
/// commit linking.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class HostileContentTests(StorageFixture storage) : IngressTestBase(storage, "hostilecontent")
{
    private const string Sql = "'; DROP TABLE deliveries; --";

    private readonly StorageFixture _storage = storage;
    private const string Script = "<script>alert(1)</script>";

    [Fact]
    public async Task SqlAndScriptInBranchNamesAndCommitMessagesAreStoredVerbatimAndServedAsJsonStrings()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "verbatim", "main");
        (await Admin.PutAsJsonAsync("/api/projects/verbatim/smart-commits", new { enabled = true, patterns = Array.Empty<string>() })).EnsureSuccessStatusCode();
        var message = $"ABC-1 {Script} {Sql} \"quoted\" \\ {{{{7*7}}}}";
        var body = CloudPush.Body("acme/api", CloudPush.Branch(Sql, CloudPush.Hash("verbatim"), message));

        using var accepted = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
        using var detail = await Admin.GetAsync($"/api/deliveries/{id}");
        Assert.Equal("application/json", detail.Content.Headers.ContentType?.MediaType);
        var change = (await detail.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("body").GetProperty("push").GetProperty("changes")[0];
        Assert.Equal(Sql, change.GetProperty("new").GetProperty("name").GetString());
        Assert.Equal(message + "\n", change.GetProperty("commits")[0].GetProperty("message").GetString());

        var link = Assert.Single(await Poll.UntilAsync(() => CommitsAsync("verbatim", "ABC-1"), links => links.Count == 1, "ABC-1 to be linked"));
        Assert.Equal(Sql, link.GetProperty("ref").GetString());
        Assert.Equal(message + "\n", link.GetProperty("message").GetString());

        // The history is still there to list it.
        var page = await Admin.GetFromJsonAsync<JsonElement>("/api/deliveries?project=verbatim");
        Assert.Contains(page.GetProperty("items").EnumerateArray(), item => item.GetProperty("id").GetGuid() == id);

        // The dashboard shows the same text, as text: no markup of the sender's survives into the page.
        var another = CloudPush.Body("acme/api", CloudPush.Branch(Sql, CloudPush.Hash("verbatim-event"), message));
        using var scriptEvent = await Client.SendAsync(BitbucketSender.Cloud(url, Script, another, secret));
        Assert.Equal(HttpStatusCode.Accepted, scriptEvent.StatusCode);
        var scriptEventId = (await scriptEvent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
        await using var dashboard = new DashboardFactory(_storage, Factory);
        using var browser = dashboard.CreateBareClient();
        var session = await dashboard.SignInAsync(browser);
        foreach (var delivery in new[] { id, scriptEventId })
        {
            using var response = await DashboardFactory.GetAsync(browser, $"/deliveries/{delivery}", session);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<script>alert(1)", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
            Assert.Contains(Sql, WebUtility.HtmlDecode(html));
        }
    }

    [Fact]
    public async Task ACommitMessageCraftedAgainstAProjectPatternDoesNotHoldUpCommitLinking()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "patterns", "main");
        // ((?:x|xx)+)+y passes validation (its probes hold no runs of x) and backtracks exponentially on one.
        var saved = await Admin.PutAsJsonAsync("/api/projects/patterns/smart-commits",
            new { enabled = true, patterns = new[] { "((?:x|xx)+)+y", SmartCommitPattern.Default } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var crafted = string.Join("\n", Enumerable.Repeat(new string('x', 40), 3000));

        var first = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push",
            CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("crafted"), "EVIL-1 " + crafted)), secret));
        var second = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push",
            CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("marker"), "MARK-1 after the crafted one")), secret));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        // One worker links pushes in order: the marker's link exists only once the crafted push is behind it.
        await Poll.UntilAsync(() => CommitsAsync("patterns", "MARK-1"), links => links.Count == 1, "the push after the crafted one to be linked");
        // The crafted push still links what the sane pattern finds in it.
        Assert.Single(await CommitsAsync("patterns", "EVIL-1"));
    }

    private async Task<List<JsonElement>> CommitsAsync(string project, string key) =>
        (await Admin.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/alm/issues/{key}/commits")).EnumerateArray().ToList();
}
