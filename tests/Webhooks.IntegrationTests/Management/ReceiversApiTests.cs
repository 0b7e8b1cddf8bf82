using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Management;

[Collection(StorageCollection.Name)]
public sealed class ReceiversApiTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Project = "acme";

    private readonly ManagementHost _host = new(storage, "receivers");

    public async Task InitializeAsync()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, Project);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreatingAReceiverReturnsAnAbsoluteUrlWithA43CharacterPathAndAGeneratedSecret()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers", new { name = "cloud" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/projects/{Project}/receivers/cloud", response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cloud", created.GetProperty("name").GetString());
        var url = new Uri(created.GetProperty("url").GetString()!);
        Assert.True(url.IsAbsoluteUri);
        Assert.StartsWith("https://webhooks.example.test/webhooks/bitbucket/", url.AbsoluteUri);
        var path = url.AbsolutePath["/webhooks/bitbucket/".Length..];
        Assert.Equal(43, path.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", path);
        Assert.Equal(43, created.GetProperty("secret").GetString()!.Length);
        Assert.Equal(JsonValueKind.Null, created.GetProperty("serverUrl").ValueKind);
    }

    [Fact]
    public async Task CreatingAReceiverKeepsAGivenSecretAndServerUrl()
    {
        using var client = _host.CreateAdminClient();

        var created = await ManagementHost.CreateReceiverAsync(client, Project, "datacenter", "my own secret, long enough", "https://bitbucket.example.com/");

        Assert.Equal("my own secret, long enough", created.GetProperty("secret").GetString());
        Assert.Equal("https://bitbucket.example.com", created.GetProperty("serverUrl").GetString());
    }

    [Fact]
    public async Task ReceiverSecretsAreStoredEncrypted()
    {
        using var client = _host.CreateAdminClient();
        var created = await ManagementHost.CreateReceiverAsync(client, Project, "cloud");
        var secret = created.GetProperty("secret").GetString();

        var stored = await _host.WithDbAsync(db => db.Receivers.SingleAsync(r => r.Name == "cloud"));

        Assert.NotNull(stored.ProtectedSecret);
        Assert.NotEqual(secret, stored.ProtectedSecret);
        Assert.DoesNotContain(secret!, stored.ProtectedSecret);
        Assert.Equal(secret, _host.Services.GetRequiredService<ReceiverSecretProtector>().Unprotect(stored.ProtectedSecret));
    }

    [Fact]
    public async Task CreatingAReceiverWithATakenNameIsAConflict()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateReceiverAsync(client, Project, "cloud");

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers", new { name = "cloud" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CreatingAReceiverInAnUnknownProjectIsNotFound()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync("/api/projects/nowhere/receivers", new { name = "cloud" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Project not found", problem.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("Bad Name", null, null, "name")]
    [InlineData("ok", "", null, "secret")]
    [InlineData("ok", "129", null, "secret")]
    [InlineData("ok", null, "ftp://bitbucket.example.com", "serverUrl")]
    [InlineData("ok", null, "bitbucket.example.com", "serverUrl")]
    [InlineData("ok", null, "https://user:pass@bitbucket.example.com", "serverUrl")]
    public async Task CreatingAReceiverWithAnInvalidFieldIsAValidationProblemOnThatField(string name, string? secret, string? serverUrl, string field)
    {
        using var client = _host.CreateAdminClient();
        if (secret == "129")
        {
            secret = new string('s', 129);
        }

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers", new { name, secret, serverUrl });

        var problem = await ProblemAssert.IsValidationProblemAsync(response, field);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret.Length > 0 ? secret : "\"secret\":\"\"", problem.GetRawText());
        }
    }

    [Fact]
    public async Task ListingAndGettingReceiversNeverShowsTheSecret()
    {
        using var client = _host.CreateAdminClient();
        var created = await ManagementHost.CreateReceiverAsync(client, Project, "cloud");
        var secret = created.GetProperty("secret").GetString()!;
        await _host.WithDbAsync(async db =>
        {
            var receiver = await db.Receivers.SingleAsync(r => r.Name == "cloud");
            var project = await db.Projects.SingleAsync(p => p.Name == Project);
            db.Deliveries.Add(new Delivery
            {
                ReceivedAt = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero),
                ProjectId = project.Id,
                ReceiverId = receiver.Id,
                Source = "cloud",
                Outcome = DeliveryOutcome.Accepted,
                StatusCode = 202,
            });
            await db.SaveChangesAsync();
        });

        var listResponse = await client.GetStringAsync($"/api/projects/{Project}/receivers");
        var oneResponse = await client.GetStringAsync($"/api/projects/{Project}/receivers/cloud");

        Assert.DoesNotContain(secret, listResponse);
        Assert.DoesNotContain(secret, oneResponse);
        var receiver = Assert.Single(JsonDocument.Parse(listResponse).RootElement.EnumerateArray());
        Assert.Equal(created.GetProperty("url").GetString(), receiver.GetProperty("url").GetString());
        Assert.True(receiver.GetProperty("hasSecret").GetBoolean());
        Assert.False(receiver.TryGetProperty("secret", out _));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), receiver.GetProperty("lastDeliveryAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, receiver.GetProperty("secretRotatedAt").ValueKind);
        var one = JsonDocument.Parse(oneResponse).RootElement;
        Assert.Equal(receiver.GetRawText(), one.GetRawText());
    }

    [Fact]
    public async Task GettingAnUnknownReceiverIsNotFoundNamingTheReceiver()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.GetAsync($"/api/projects/{Project}/receivers/nothing");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Receiver not found", problem.GetProperty("title").GetString());
        Assert.Contains("nothing", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WebhookDataRevealsUrlSecretAndTheTriggersToTick()
    {
        using var client = _host.CreateAdminClient();
        var created = await ManagementHost.CreateReceiverAsync(client, Project, "cloud");

        var data = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{Project}/receivers/cloud/webhook-data");

        Assert.Equal(created.GetProperty("url").GetString(), data.GetProperty("url").GetString());
        Assert.Equal(created.GetProperty("secret").GetString(), data.GetProperty("secret").GetString());
        Assert.Equal("application/json", data.GetProperty("contentType").GetString());
        var events = data.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("repo:push", events);
        Assert.Contains("repo:refs_changed", events);
        Assert.Contains("mirror:repo_synchronized", events);
        var instructions = data.GetProperty("instructions");
        Assert.Contains("Repository push", instructions.GetProperty("cloud").GetProperty("triggers").EnumerateArray().Select(t => t.GetString()));
        Assert.Contains(
            instructions.GetProperty("dataCenter").GetProperty("triggers").EnumerateArray().Select(t => t.GetString()),
            t => t!.Contains("Push") && t.Contains("refs changed"));
        Assert.NotEmpty(instructions.GetProperty("dataCenter").GetProperty("steps").EnumerateArray());
    }

    [Theory]
    [InlineData("PT1H")]
    [InlineData("01:00:00")]
    public async Task RotatingTheSecretReturnsANewOneAndKeepsTheOldValidForTheGracePeriod(string gracePeriod)
    {
        using var client = _host.CreateAdminClient();
        var created = await ManagementHost.CreateReceiverAsync(client, Project, "cloud");
        var before = await _host.WithDbAsync(db => db.Receivers.AsNoTracking().SingleAsync(r => r.Name == "cloud"));

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers/cloud/rotate-secret", new { gracePeriod });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = rotated.GetProperty("secret").GetString();
        Assert.NotEqual(created.GetProperty("secret").GetString(), secret);
        Assert.Equal(43, secret!.Length);
        var validUntil = rotated.GetProperty("previousValidUntil").GetDateTimeOffset();
        Assert.InRange(validUntil, DateTimeOffset.UtcNow.AddHours(1).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1).AddMinutes(1));

        var after = await _host.WithDbAsync(db => db.Receivers.AsNoTracking().SingleAsync(r => r.Name == "cloud"));
        var protector = _host.Services.GetRequiredService<ReceiverSecretProtector>();
        Assert.Equal(secret, protector.Unprotect(after.ProtectedSecret));
        Assert.Equal(before.ProtectedSecret, after.ProtectedPreviousSecret);
        Assert.Equal(validUntil, after.PreviousSecretValidUntil);
        Assert.Equal(before.Path, after.Path);
        Assert.Contains(before.Path, _host.Directory.Invalidated);

        var view = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{Project}/receivers/cloud");
        Assert.Equal(validUntil, view.GetProperty("previousSecretValidUntil").GetDateTimeOffset());
        Assert.NotEqual(JsonValueKind.Null, view.GetProperty("secretRotatedAt").ValueKind);
        var data = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{Project}/receivers/cloud/webhook-data");
        Assert.Equal(secret, data.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task RotatingWithoutABodyGeneratesASecretAndKeepsTheOldOneForADay()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateReceiverAsync(client, Project, "cloud");

        var response = await client.PostAsync($"/api/projects/{Project}/receivers/cloud/rotate-secret", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.InRange(
            rotated.GetProperty("previousValidUntil").GetDateTimeOffset(),
            DateTimeOffset.UtcNow.AddHours(24).AddMinutes(-1),
            DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
    }

    [Fact]
    public async Task RotatingWithAGivenSecretAndZeroGraceDropsTheOldSecretAtOnce()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateReceiverAsync(client, Project, "cloud");

        var response = await client.PostAsJsonAsync(
            $"/api/projects/{Project}/receivers/cloud/rotate-secret",
            new { secret = "replacement-secret-value", gracePeriod = "PT0S" });

        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("replacement-secret-value", rotated.GetProperty("secret").GetString());
        Assert.True(rotated.GetProperty("previousValidUntil").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        var after = await _host.WithDbAsync(db => db.Receivers.AsNoTracking().SingleAsync(r => r.Name == "cloud"));
        Assert.Null(after.ProtectedPreviousSecret);
    }

    [Theory]
    [InlineData("P31D")]
    [InlineData("-PT1H")]
    [InlineData("soon")]
    [InlineData("31.00:00:00")]
    public async Task RotatingWithAnInvalidGracePeriodIsAValidationProblemAndChangesNothing(string gracePeriod)
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateReceiverAsync(client, Project, "cloud");
        var before = await _host.WithDbAsync(db => db.Receivers.AsNoTracking().SingleAsync(r => r.Name == "cloud"));

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers/cloud/rotate-secret", new { gracePeriod });

        await ProblemAssert.IsValidationProblemAsync(response, "gracePeriod");
        var after = await _host.WithDbAsync(db => db.Receivers.AsNoTracking().SingleAsync(r => r.Name == "cloud"));
        Assert.Equal(before.ProtectedSecret, after.ProtectedSecret);
    }

    [Fact]
    public async Task RotatingAnUnknownReceiverIsNotFound()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers/nothing/rotate-secret", new { });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeletedReceiverIsNotFoundAfterwardsAndItsCacheEntryIsInvalidated()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateReceiverAsync(client, Project, "cloud");
        var path = await _host.WithDbAsync(db => db.Receivers.Where(r => r.Name == "cloud").Select(r => r.Path).SingleAsync());

        var deleted = await client.DeleteAsync($"/api/projects/{Project}/receivers/cloud");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/projects/{Project}/receivers/cloud"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync($"/api/projects/{Project}/receivers/cloud"), HttpStatusCode.NotFound);
        Assert.Contains(path, _host.Directory.Invalidated);
        Assert.False(await _host.WithDbAsync(db => db.Receivers.AnyAsync()));
    }

    [Fact]
    public async Task EditingAReceiverKeepsItsUrlAndSecretSoBitbucketKeepsDelivering()
    {
        using var client = _host.CreateAdminClient();
        var created = await ManagementHost.CreateReceiverAsync(client, Project, "cloud", "a secret of twenty chars", "https://old.example.com");
        var data = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{Project}/receivers/cloud/webhook-data");

        var response = await client.PatchAsJsonAsync($"/api/projects/{Project}/receivers/cloud", new
        {
            serverUrl = "https://bitbucket.example.com/",
            allowedNetworks = new[] { "10.0.0.0/8" },
            description = "Pushes of the api repository",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edited = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(created.GetProperty("url").GetString(), edited.GetProperty("url").GetString());
        Assert.Equal("https://bitbucket.example.com", edited.GetProperty("serverUrl").GetString());
        Assert.Equal(["10.0.0.0/8"], edited.GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("Pushes of the api repository", edited.GetProperty("description").GetString());
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/projects/{Project}/receivers/cloud/webhook-data");
        Assert.Equal(data.GetProperty("url").GetString(), after.GetProperty("url").GetString());
        Assert.Equal("a secret of twenty chars", after.GetProperty("secret").GetString());
        Assert.Contains(_host.Directory.Invalidated, path => created.GetProperty("url").GetString()!.EndsWith(path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEditChangesOnlyWhatItNamesAndAnEmptyStringClears()
    {
        using var client = _host.CreateAdminClient();
        await client.PostAsJsonAsync($"/api/projects/{Project}/receivers", new
        {
            name = "dc", serverUrl = "https://bitbucket.example.com", allowedNetworks = new[] { "192.0.2.0/24" }, description = "first",
        });

        var kept = await (await client.PatchAsJsonAsync($"/api/projects/{Project}/receivers/dc", new { description = "second" })).Content.ReadFromJsonAsync<JsonElement>();
        var cleared = await (await client.PatchAsJsonAsync($"/api/projects/{Project}/receivers/dc", new { serverUrl = "", description = "", allowedNetworks = Array.Empty<string>() }))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("https://bitbucket.example.com", kept.GetProperty("serverUrl").GetString());
        Assert.Equal(["192.0.2.0/24"], kept.GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("second", kept.GetProperty("description").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("serverUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("description").ValueKind);
        Assert.Empty(cleared.GetProperty("allowedNetworks").EnumerateArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("fifteen chars!!")]
    public async Task ASecretShorterThanSixteenCharactersIsRefusedWithTheRule(string secret)
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers", new { name = "short", secret });

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "secret");
        Assert.Contains("at least 16 characters", problem.GetProperty("errors").GetProperty("secret")[0].GetString());
        Assert.DoesNotContain(secret.Length > 0 ? secret : "\u0000", problem.GetRawText());
    }

    [Fact]
    public async Task AMisspeltSecretIsRefusedRatherThanIgnored()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync($"/api/projects/{Project}/receivers", new { name = "typo", secert = "0123456789abcdef0123" });

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "secert");
        Assert.Contains("secert", problem.GetProperty("errors").GetProperty("secert")[0].GetString());
        Assert.False(await _host.WithDbAsync(db => db.Receivers.AnyAsync(r => r.Name == "typo")));
    }
}

[Collection(StorageCollection.Name)]
public sealed class ReceiverUrlWithoutPublicBaseUrlTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ManagementHost _host = new(storage, "receiverurl", new Dictionary<string, string?> { ["Webhooks:PublicBaseUrl"] = "" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ReceiverUrlFollowsTheRequestHostWhenNoPublicBaseUrlIsConfigured()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "acme");

        var created = await ManagementHost.CreateReceiverAsync(client, "acme", "cloud");

        Assert.StartsWith($"{client.BaseAddress!.GetLeftPart(UriPartial.Authority)}/webhooks/bitbucket/", created.GetProperty("url").GetString());
    }

    [Fact]
    public async Task WebhookDataWarnsThatALoopbackUrlIsUnreachableAndSaysHowToSetThePublicBaseUrl()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "acme");
        await ManagementHost.CreateReceiverAsync(client, "acme", "cloud");

        var data = await client.GetFromJsonAsync<JsonElement>("/api/projects/acme/receivers/cloud/webhook-data");

        var warning = Assert.Single(data.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("localhost", warning);
        Assert.Contains("Webhooks:PublicBaseUrl", warning);
    }
}
