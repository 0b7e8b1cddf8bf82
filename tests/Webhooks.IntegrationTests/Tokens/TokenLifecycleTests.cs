using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Tokens;

/// <summary>API tokens through the management API, on two replicas sharing one database and one Redis.</summary>
[Collection(StorageCollection.Name)]
public sealed class TokenLifecycleTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _first = new(storage, "tokens");
    private ReceiverFactory _second = null!;

    public Task InitializeAsync()
    {
        _first.Settings["Webhooks:Tokens:LastUsedFlushInterval"] = "00:00:00.200";
        _second = new ReceiverFactory(storage, sameDatabaseAs: _first);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task ACreatedAdminTokenIsShownOnceListedByPrefixAndWorks()
    {
        using var admin = _first.CreateAdminClient();

        var created = await CreateAsync(admin, new { name = "ci", type = "admin", description = "for the pipeline" });
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith("whk_", token);

        using var client = WithToken(_first, token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/projects")).StatusCode);

        var listed = await ListedAsync(admin, created.GetProperty("id").GetGuid());
        Assert.Equal("ci", listed.GetProperty("name").GetString());
        Assert.Equal("admin", listed.GetProperty("type").GetString());
        Assert.Equal(token[..12], listed.GetProperty("prefix").GetString());
        Assert.True(listed.GetProperty("active").GetBoolean());
        var everything = await admin.GetStringAsync("/api/tokens");
        Assert.DoesNotContain(token, everything);
    }

    [Fact]
    public async Task LastUsedIsWrittenInTheBackground()
    {
        using var admin = _first.CreateAdminClient();
        var created = await CreateAsync(admin, new { name = "used", type = "admin" });
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(JsonValueKind.Null, (await ListedAsync(admin, id)).GetProperty("lastUsedAt").ValueKind);

        using var client = WithToken(_first, created.GetProperty("token").GetString()!);
        (await client.GetAsync("/api/projects")).EnsureSuccessStatusCode();

        await Poll.UntilAsync(() => ListedAsync(admin, id), t => t.GetProperty("lastUsedAt").ValueKind == JsonValueKind.String, "last used to be written");
    }

    [Fact]
    public async Task RevocationThroughOneReplicaReachesTheOtherWithinSeconds()
    {
        using var admin = _first.CreateAdminClient();
        var created = await CreateAsync(admin, new { name = "revoked", type = "admin" });
        using var other = WithToken(_second, created.GetProperty("token").GetString()!);
        // The second replica now holds the token in its memory cache.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/projects")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{created.GetProperty("id").GetGuid()}")).StatusCode);

        await Poll.UntilAsync(async () => (await other.GetAsync("/api/projects")).StatusCode, code => code == HttpStatusCode.Unauthorized,
            "the revoked token to be refused by the other replica", TimeSpan.FromSeconds(5));
        var listed = await ListedAsync(admin, created.GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.String, listed.GetProperty("revokedAt").ValueKind);
        Assert.False(listed.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        using var admin = _first.CreateAdminClient();
        var created = await CreateAsync(admin, new { name = "short-lived", type = "admin", expiresAt = DateTimeOffset.UtcNow.AddSeconds(8) });
        using var client = WithToken(_second, created.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/projects")).StatusCode);

        await Poll.UntilAsync(async () => (await client.GetAsync("/api/projects")).StatusCode, code => code == HttpStatusCode.Unauthorized,
            "the expired token to be refused", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task AWebhookTokenNeedsAProjectAndDoesNotOpenTheManagementApi()
    {
        using var admin = _first.CreateAdminClient();
        (await admin.PostAsJsonAsync("/api/projects", new { name = "hooks" })).EnsureSuccessStatusCode();

        var missing = await admin.PostAsJsonAsync("/api/tokens", new { name = "w", type = "webhook" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("project", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/tokens", new { name = "a", type = "admin", project = "hooks" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/tokens", new { name = "x", type = "root" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/tokens", new { name = "w", type = "webhook", project = "nope" })).StatusCode);

        var created = await CreateAsync(admin, new { name = "w", type = "webhook", project = "hooks" });
        Assert.Equal("hooks", (await ListedAsync(admin, created.GetProperty("id").GetGuid())).GetProperty("project").GetString());
        using var client = WithToken(_first, created.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/projects")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/tokens")).StatusCode);
    }

    [Fact]
    public async Task RevokingAnUnknownTokenIsNotFound()
    {
        using var admin = _first.CreateAdminClient();

        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/tokens/{Guid.NewGuid()}")).StatusCode);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient admin, object request)
    {
        var response = await admin.PostAsJsonAsync("/api/tokens", request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> ListedAsync(HttpClient admin, Guid id)
    {
        var tokens = await admin.GetFromJsonAsync<JsonElement>("/api/tokens");
        return tokens.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == id);
    }

    private static HttpClient WithToken(ReceiverFactory factory, string token)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
