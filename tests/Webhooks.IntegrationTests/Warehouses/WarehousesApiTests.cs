using Webhooks.Grains.Discovery;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Warehouses;

[Collection(StorageCollection.Name)]
public sealed class WarehousesApiTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "warehouses_api");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreatedWarehouseShowsItsSubscriptionsButNeverItsSecrets()
    {
        _host.RefLister.Set("ssh://git@git.example.com:7999/proj/shop.git", new RemoteRef("refs/tags/v1", CloudPush.Hash("shop-v1")));
        var created = await _host.CreateWarehouseAsync("acme", "shop",
            [
                new { repoUrl = "https://bitbucket.org/Acme/Shop.git", branch = "release/*" },
                new { repoUrl = "ssh://git@git.example.com:7999/proj/shop.git", tag = "v*", discovery = "git", credentials = new { sshPrivateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nsecretkey" } },
            ],
            notify: new { url = "https://ci.example.com/hooks/freight", secret = "notify-secret-value" },
            interval: "PT10M");

        Assert.Equal("shop", created.GetProperty("name").GetString());
        // A git subscription asks for a first discovery at once, so the new warehouse may already be busy.
        Assert.Contains(created.GetProperty("state").GetString(), new[] { "idle", "pending", "refreshing" });
        Assert.Equal("PT10M", created.GetProperty("interval").GetString());
        var subscriptions = created.GetProperty("subscriptions");
        Assert.Equal("bitbucket.org/acme/shop", subscriptions[0].GetProperty("repositoryKey").GetString());
        Assert.Equal("payload", subscriptions[0].GetProperty("discovery").GetString());
        Assert.Equal("git.example.com/proj/shop", subscriptions[1].GetProperty("repositoryKey").GetString());
        Assert.Equal("git", subscriptions[1].GetProperty("discovery").GetString());
        Assert.True(subscriptions[1].GetProperty("hasCredentials").GetBoolean());
        Assert.True(created.GetProperty("notify").GetProperty("hasSecret").GetBoolean());

        var listed = await _host.GetAsync("/api/projects/acme/warehouses");
        var text = listed.GetRawText() + (await _host.GetAsync("/api/projects/acme/warehouses/shop")).GetRawText();
        Assert.DoesNotContain("notify-secret-value", text);
        Assert.DoesNotContain("secretkey", text);
        var stored = await _host.WithDbAsync(db => Task.FromResult(db.Warehouses.Single(w => w.Name == "shop").ProtectedNotifySecret));
        Assert.DoesNotContain("notify-secret-value", stored);
    }

    [Fact]
    public async Task TheDeprecatedHubSignatureIsOffForANewWarehouseAndAnEditThatLeavesItOutKeepsItAndTheSecret()
    {
        var created = await _host.CreateWarehouseAsync("acme", "legacy", [new { repoUrl = "https://bitbucket.org/acme/legacy" }],
            notify: new { url = "https://ci.example.com/hooks/freight" });
        Assert.False(created.GetProperty("notify").GetProperty("legacyHubSignature").GetBoolean());
        var generated = created.GetProperty("notify").GetProperty("secret").GetString()!;

        var on = await _host.Admin.PutAsJsonAsync("/api/projects/acme/warehouses/legacy", new
        {
            subscriptions = new[] { new { repoUrl = "https://bitbucket.org/acme/legacy" } },
            notify = new { url = "https://ci.example.com/hooks/freight", legacyHubSignature = true },
        });
        var kept = await _host.Admin.PutAsJsonAsync("/api/projects/acme/warehouses/legacy", new
        {
            subscriptions = new[] { new { repoUrl = "https://bitbucket.org/acme/legacy" } },
            notify = new { url = "https://ci.example.com/hooks/other" },
        });

        Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notify").GetProperty("legacyHubSignature").GetBoolean());
        var notify = (await kept.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notify");
        Assert.True(notify.GetProperty("legacyHubSignature").GetBoolean());
        Assert.True(notify.GetProperty("hasSecret").GetBoolean());
        // Kept, not generated again: no answer after the create shows a secret.
        Assert.False(notify.TryGetProperty("secret", out _));
        var stored = await _host.WithDbAsync(db => Task.FromResult(db.Warehouses.Single(w => w.Name == "legacy").ProtectedNotifySecret));
        Assert.Equal(generated, _host.Services.GetRequiredService<WarehouseSecretProtector>().UnprotectNotifySecret(stored));
    }

    [Fact]
    public async Task AMalformedWhsecNotifySecretIsRejected()
    {
        await _host.Admin.PostAsJsonAsync("/api/projects", new { name = "acme" });

        var response = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses", new
        {
            name = "short",
            subscriptions = new[] { new { repoUrl = "https://bitbucket.org/acme/short" } },
            notify = new { url = "https://ci.example.com/hooks/freight", secret = "whsec_c2hvcnQ=" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("whsec_", errors.GetProperty("notify.secret")[0].GetString());
    }

    [Fact]
    public async Task InvalidWarehouseIsRejectedWithEveryProblemNamed()
    {
        await _host.Admin.PostAsJsonAsync("/api/projects", new { name = "acme" });

        var response = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses", new
        {
            name = "Bad Name",
            subscriptions = new object[] { new { repoUrl = "not a url", branch = "a b", discovery = "svn" } },
            notify = new { url = "ftp://x" },
            interval = "soon",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var key in new[] { "name", "subscriptions[0].repoUrl", "subscriptions[0].branch", "subscriptions[0].discovery", "notify.url", "interval" })
        {
            Assert.True(errors.TryGetProperty(key, out _), $"no error for {key}: {errors}");
        }
    }

    [Fact]
    public async Task DuplicateNameConflictsAndUnknownWarehouseIsNotFound()
    {
        await _host.CreateWarehouseAsync("acme", "one", [new { repoUrl = "https://bitbucket.org/acme/one" }]);

        var again = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses", new { name = "one", subscriptions = new[] { new { repoUrl = "https://bitbucket.org/acme/one" } } });
        var missing = await _host.Admin.GetAsync("/api/projects/acme/warehouses/none");
        var unauthenticated = await _host.Client.GetAsync("/api/projects/acme/warehouses");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task EditedSubscriptionsRouteTheNextPushAndDeletedWarehouseIsAskedNoMore()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "edit", [new { repoUrl = "https://bitbucket.org/acme/edit", branch = "main" }]);

        var (_, before) = await _host.PushAsync(url, secret, CloudPush.Body("acme/edit", CloudPush.Branch("develop", CloudPush.Hash("edit-d1"))));
        var put = await _host.Admin.PutAsJsonAsync("/api/projects/acme/warehouses/edit",
            new { subscriptions = new[] { new { repoUrl = "https://bitbucket.org/acme/edit", branch = "develop" } } });
        var (_, after) = await _host.PushAsync(url, secret, CloudPush.Body("acme/edit", CloudPush.Branch("develop", CloudPush.Hash("edit-d2"))));
        var delete = await _host.Admin.DeleteAsync("/api/projects/acme/warehouses/edit");
        var (_, deleted) = await _host.PushAsync(url, secret, CloudPush.Body("acme/edit", CloudPush.Branch("develop", CloudPush.Hash("edit-d3"))));

        Assert.Equal(0, before.GetProperty("warehouses").GetInt32());
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(1, after.GetProperty("warehouses").GetInt32());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(0, deleted.GetProperty("warehouses").GetInt32());
    }

    [Fact]
    public async Task DeletingAWarehouseOrItsProjectTakesItsFreightHeadsRefreshesAndRequests()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud-gone");
        var kept = await RefreshedWarehouseAsync("acme", "kept", url, secret);
        var deleted = await RefreshedWarehouseAsync("acme", "deleted", url, secret);
        var (otherUrl, otherSecret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "other", "cloud-other");
        var ofProject = await RefreshedWarehouseAsync("other", "of-project", otherUrl, otherSecret);

        var warehouseDelete = await _host.Admin.DeleteAsync("/api/projects/acme/warehouses/deleted");
        var projectDelete = await _host.Admin.DeleteAsync("/api/projects/other");

        Assert.Equal(HttpStatusCode.NoContent, warehouseDelete.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, projectDelete.StatusCode);
        Assert.Equal((0, 0, 0, 0), await RowsOfAsync(deleted));
        Assert.Equal((0, 0, 0, 0), await RowsOfAsync(ofProject));
        Assert.Equal((1, 1, 1, 1), await RowsOfAsync(kept));
    }

    /// <summary>A payload warehouse of its own repository, pushed once and refreshed: one Freight, run and request.</summary>
    private async Task<Guid> RefreshedWarehouseAsync(string project, string name, string url, string secret)
    {
        var created = await _host.CreateWarehouseAsync(project, name, [new { repoUrl = $"https://bitbucket.org/{project}/{name}", branch = "main" }]);
        var (status, _) = await _host.PushAsync(url, secret, CloudPush.Body($"{project}/{name}", CloudPush.Branch("main", CloudPush.Hash(name))));
        Assert.Equal(HttpStatusCode.Accepted, status);
        await Poll.UntilAsync(() => _host.FreightAsync(project, name), f => f.Count == 1, $"{project}/{name} to have its Freight");
        await _host.IdleAsync(project, name);
        return created.GetProperty("id").GetGuid();
    }

    private Task<(int Freight, int Heads, int Refreshes, int Requests)> RowsOfAsync(Guid warehouseId) =>
        _host.WithDbAsync(async db => (
            await db.Freight.CountAsync(f => f.WarehouseId == warehouseId),
            await db.FreightHeads.CountAsync(h => h.WarehouseId == warehouseId),
            await db.Refreshes.CountAsync(r => r.WarehouseId == warehouseId),
            await db.RefreshRequests.CountAsync(r => r.WarehouseId == warehouseId)));

    [Fact]
    public async Task AnEditThatLeavesSecretsOutKeepsThemAndOneThatClearsThemRemovesThem()
    {
        const string repo = "https://git.example.com/scm/proj/keep.git";
        _host.RefLister.Set(repo, new RemoteRef("refs/heads/main", CloudPush.Hash("keep")));
        await _host.CreateWarehouseAsync("acme", "keep",
            [new { repoUrl = repo, discovery = "git", credentials = new { username = "ci", password = "git-password-value" } }],
            notify: new { url = "https://ci.example.com/hooks/freight", secret = "notify-secret-value" });
        var before = await StoredAsync("keep");

        var kept = await PutAsync("keep", new
        {
            subscriptions = new[] { new { repoUrl = repo, discovery = "git", branch = "main" } },
            notify = new { url = "https://ci.example.com/hooks/other" },
        });

        Assert.True(kept.GetProperty("notify").GetProperty("hasSecret").GetBoolean());
        Assert.True(kept.GetProperty("subscriptions")[0].GetProperty("hasCredentials").GetBoolean());
        Assert.Equal("main", kept.GetProperty("subscriptions")[0].GetProperty("branch").GetString());
        var after = await StoredAsync("keep");
        Assert.Equal(before.NotifySecret, after.NotifySecret);
        Assert.Equal(before.Credentials, after.Credentials);

        var cleared = await PutAsync("keep", new
        {
            subscriptions = new[] { new { repoUrl = repo, discovery = "git", clearCredentials = true } },
            notify = new { url = "https://ci.example.com/hooks/other", clearSecret = true },
        });

        Assert.False(cleared.GetProperty("notify").GetProperty("hasSecret").GetBoolean());
        Assert.False(cleared.GetProperty("subscriptions")[0].GetProperty("hasCredentials").GetBoolean());
    }

    [Fact]
    public async Task AGitRepositoryThatCannotBeListedIsRefusedWithGitsMessageUnlessVerifyIsFalse()
    {
        await _host.Admin.PostAsJsonAsync("/api/projects", new { name = "acme" });
        const string repo = "https://git.example.com/scm/proj/missing.git";
        var body = new
        {
            name = "missing",
            subscriptions = new[] { new { repoUrl = repo, discovery = "git", credentials = new { username = "ci", password = "never-shown-password" } } },
        };

        var refused = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses", body);

        var text = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("subscriptions[0].repoUrl", text);
        Assert.Contains($"Repository '{repo}' not found.", text);
        Assert.Contains("verify", text);
        Assert.DoesNotContain("never-shown-password", text);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Admin.GetAsync("/api/projects/acme/warehouses/missing")).StatusCode);

        var saved = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses", new { body.name, body.subscriptions, verify = false });

        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
    }

    [Fact]
    public async Task APayloadModeSubscriptionIsNeverListedBeforeSaving()
    {
        var listings = _host.RefLister.Listings;

        await _host.CreateWarehouseAsync("acme", "payload", [new { repoUrl = "https://bitbucket.org/acme/never-listed.git" }]);

        Assert.Equal(listings, _host.RefLister.Listings);
    }

    private async Task<JsonElement> PutAsync(string name, object body)
    {
        var response = await _host.Admin.PutAsJsonAsync($"/api/projects/acme/warehouses/{name}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT {name}: {response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private Task<(string? NotifySecret, string? Credentials)> StoredAsync(string name) =>
        _host.WithDbAsync(db => Task.FromResult(db.Warehouses
            .Where(w => w.Name == name)
            .Select(w => new { w.ProtectedNotifySecret, Credentials = w.Subscriptions.Select(s => s.ProtectedCredentials).FirstOrDefault() })
            .AsEnumerable()
            .Select(w => (w.ProtectedNotifySecret, w.Credentials))
            .Single()));
}
