using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.SmartCommits;

/// <summary>Smart-commit settings and the links pushes create, through receivers and ARM's sync-alm-commits.</summary>
[Collection(StorageCollection.Name)]
public sealed class SmartCommitLinkingTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _factory = new(storage, "smartcommits");
    private HttpClient _client = null!;
    private HttpClient _admin = null!;

    public Task InitializeAsync()
    {
        _client = _factory.CreateClient();
        _admin = _factory.CreateAdminClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _admin.Dispose();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task APushWithThreeCommitsMentioningTwoIssuesLinksExactlyThoseAndOnceWhenDeliveredTwice()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_admin, "alm", "main");
        (await _admin.PutAsJsonAsync("/api/projects/alm/smart-commits", new { enabled = true, patterns = Array.Empty<string>() })).EnsureSuccessStatusCode();
        var token = await WebhookTokenAsync("alm");
        var body = Push(
            ("1111111111111111111111111111111111111111", "ABC-1 #comment first part #time 1h 30m", "2026-01-01T10:00:00+00:00"),
            ("2222222222222222222222222222222222222222", "[DEF-2] fix, also touches ABC-1", "2026-01-01T11:00:00+00:00"),
            ("3333333333333333333333333333333333333333", "chore: no issue here, CVE-2024-1234 only", "2026-01-01T12:00:00+00:00"));

        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret))).StatusCode);
        var abc = await Poll.UntilAsync(() => CommitsAsync("alm", "ABC-1"), links => links.Count == 2, "ABC-1 to have its two commits");
        var def = await Poll.UntilAsync(() => CommitsAsync("alm", "DEF-2"), links => links.Count == 1, "DEF-2 to have its commit");

        // Newest first, with what Jira would need.
        Assert.Equal(["2222222222222222222222222222222222222222", "1111111111111111111111111111111111111111"], abc.Select(l => l.GetProperty("commit").GetString()));
        var first = abc[1];
        Assert.Equal("bitbucket.org/nfalco79/test-repos", first.GetProperty("repository").GetString());
        Assert.Equal("feature/webhook", first.GetProperty("ref").GetString());
        Assert.Equal("Ada Lovelace", first.GetProperty("author").GetString());
        var commands = first.GetProperty("commands").EnumerateArray().ToList();
        Assert.Equal(["comment", "time"], commands.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("first part", commands[0].GetProperty("argument").GetString());
        Assert.Equal(90, commands[1].GetProperty("minutes").GetDouble());
        Assert.Equal("2222222222222222222222222222222222222222", Assert.Single(def).GetProperty("commit").GetString());

        // The same push again, through sync-alm-commits (its own dedupe scope, so it is accepted and linked again) ...
        var again = await _client.SendAsync(BitbucketSender.Cloud($"/api/webhook/v2/alm/sync-alm-commits?token={token}", "repo:push", body, secret: null));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        // ... and a marker push behind it in the same queue: once the marker is linked, the repeat has been handled.
        var marker = Push(("4444444444444444444444444444444444444444", "MARK-1 marker", "2026-01-01T13:00:00+00:00"));
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(BitbucketSender.Cloud($"/api/webhook/v2/alm/sync-alm-commits?token={token}", "repo:push", marker, secret: null))).StatusCode);
        await Poll.UntilAsync(() => CommitsAsync("alm", "MARK-1"), links => links.Count == 1, "the marker to be linked");

        Assert.Equal(2, (await CommitsAsync("alm", "ABC-1")).Count);
        Assert.Single(await CommitsAsync("alm", "DEF-2"));
    }

    [Fact]
    public async Task WithSmartCommitsOffPushesThroughReceiversLinkNothingButSyncAlmCommitsDoes()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_admin, "quiet", "main");
        var token = await WebhookTokenAsync("quiet");
        var settings = await _admin.GetFromJsonAsync<JsonElement>("/api/projects/quiet/smart-commits");
        Assert.False(settings.GetProperty("enabled").GetBoolean());
        Assert.True(settings.GetProperty("usesDefaultPattern").GetBoolean());

        var ignored = Push(("5555555555555555555555555555555555555555", "OFF-1 not linked", "2026-01-02T10:00:00+00:00"));
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(BitbucketSender.Cloud(url, "repo:push", ignored, secret))).StatusCode);
        var synced = Push(("6666666666666666666666666666666666666666", "ON-2 linked", "2026-01-02T11:00:00+00:00"));
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(BitbucketSender.Cloud($"/api/webhook/v2/quiet/sync-alm-commits?token={token}", "repo:push", synced, secret: null))).StatusCode);

        await Poll.UntilAsync(() => CommitsAsync("quiet", "ON-2"), links => links.Count == 1, "sync-alm-commits to link");
        Assert.Empty(await CommitsAsync("quiet", "OFF-1"));
    }

    [Fact]
    public async Task ACustomPatternIsUsedAndABadOneIsRefusedWithTheReason()
    {
        (await _admin.PostAsJsonAsync("/api/projects", new { name = "custom" })).EnsureSuccessStatusCode();

        var noCapture = await _admin.PutAsJsonAsync("/api/projects/custom/smart-commits", new { enabled = true, patterns = new[] { @"[A-Z]+-\d+" } });
        Assert.Equal(HttpStatusCode.BadRequest, noCapture.StatusCode);
        Assert.Contains("exactly one capture group", await noCapture.Content.ReadAsStringAsync());
        var runaway = await _admin.PutAsJsonAsync("/api/projects/custom/smart-commits", new { enabled = true, patterns = new[] { @"ok(\d+)", "(a+)+$" } });
        Assert.Equal(HttpStatusCode.BadRequest, runaway.StatusCode);
        var problem = await runaway.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("catastrophic backtracking", problem.GetProperty("errors").GetProperty("patterns[1]")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PutAsJsonAsync("/api/projects/none/smart-commits", new { enabled = true })).StatusCode);

        var saved = await _admin.PutAsJsonAsync("/api/projects/custom/smart-commits", new { enabled = true, patterns = new[] { @"\[(project\d+)\]" } });
        saved.EnsureSuccessStatusCode();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_admin, "custom", "main");
        var body = Push(("7777777777777777777777777777777777777777", "git commit m [project123] # add README file ABC-9", "2026-01-03T10:00:00+00:00"));
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(BitbucketSender.Cloud(url, "repo:push", body, secret))).StatusCode);

        await Poll.UntilAsync(() => CommitsAsync("custom", "project123"), links => links.Count == 1, "the custom key to be linked");
        Assert.Empty(await CommitsAsync("custom", "ABC-9"));
    }

    private async Task<List<JsonElement>> CommitsAsync(string project, string key) =>
        (await _admin.GetFromJsonAsync<JsonElement>($"/api/projects/{project}/alm/issues/{key}/commits")).EnumerateArray().ToList();

    private async Task<string> WebhookTokenAsync(string project)
    {
        var response = await _admin.PostAsJsonAsync("/api/tokens", new { name = "bitbucket", type = "webhook", project });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>The recorded Cloud push, its commits replaced (newest first, as Cloud lists them).</summary>
    private static byte[] Push(params (string Hash, string Message, string Date)[] commits)
    {
        var root = JsonNode.Parse(BitbucketSender.Fixture("cloud-repo-push-signed.json"))!;
        var change = root["push"]!["changes"]![0]!;
        var list = new JsonArray();
        foreach (var (hash, message, date) in commits.Reverse())
        {
            list.Add(new JsonObject
            {
                ["type"] = "commit",
                ["hash"] = hash,
                ["message"] = message,
                ["date"] = date,
                ["author"] = new JsonObject { ["type"] = "author", ["raw"] = "Ada Lovelace <ada@example.com>", ["user"] = new JsonObject { ["display_name"] = "Ada Lovelace" } },
            });
        }

        change["commits"] = list;
        change["new"]!["target"]!["hash"] = commits[^1].Hash;
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }
}
