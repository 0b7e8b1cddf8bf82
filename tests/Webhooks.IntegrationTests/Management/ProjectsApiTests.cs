using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Tokens;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Management;

[Collection(StorageCollection.Name)]
public sealed class ProjectsApiTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ManagementHost _host = new(storage, "projects");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreatingAProjectAnswersCreatedWithItsLocationAndFindsItAfterwards()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync("/api/projects", new { name = "acme-platform" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/projects/acme-platform", response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("acme-platform", created.GetProperty("name").GetString());
        Assert.Equal(0, created.GetProperty("receiverCount").GetInt32());

        var fetched = await client.GetFromJsonAsync<JsonElement>("/api/projects/acme-platform");
        Assert.Equal(created.GetProperty("createdAt").GetDateTimeOffset(), fetched.GetProperty("createdAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task CreatingAProjectWithATakenNameIsAConflict()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "taken");

        var response = await client.PostAsJsonAsync("/api/projects", new { name = "taken" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("taken", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Acme")]
    [InlineData("with space")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("ünïcode")]
    [InlineData(null)]
    public async Task CreatingAProjectWithAnInvalidNameIsAValidationProblemOnName(string? name)
    {
        using var client = _host.CreateAdminClient();

        var response = await client.PostAsJsonAsync("/api/projects", new { name });

        await ProblemAssert.IsValidationProblemAsync(response, "name");
    }

    [Fact]
    public async Task CreatingAProjectWithANameOverOneHundredCharactersIsAValidationProblem()
    {
        using var client = _host.CreateAdminClient();

        var tooLong = await client.PostAsJsonAsync("/api/projects", new { name = new string('a', 101) });
        var longest = await client.PostAsJsonAsync("/api/projects", new { name = new string('a', 100) });

        await ProblemAssert.IsValidationProblemAsync(tooLong, "name");
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task ProjectsAreListedByNameWithTheirReceiverCounts()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "zeta");
        await ManagementHost.CreateProjectAsync(client, "alpha.team_1");
        await ManagementHost.CreateReceiverAsync(client, "zeta", "cloud");
        await ManagementHost.CreateReceiverAsync(client, "zeta", "datacenter");

        var projects = await client.GetFromJsonAsync<JsonElement>("/api/projects");

        var listed = projects.EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("receiverCount").GetInt32())).ToList();
        Assert.Equal([("alpha.team_1", 0), ("zeta", 2)], listed);
    }

    [Fact]
    public async Task GettingAnUnknownProjectIsNotFoundNamingTheProject()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.GetAsync("/api/projects/nowhere");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Project not found", problem.GetProperty("title").GetString());
        Assert.Contains("nowhere", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task DeletingAProjectRemovesItsReceiversAndInvalidatesTheirCacheEntries()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "doomed");
        await ManagementHost.CreateProjectAsync(client, "kept");
        await ManagementHost.CreateReceiverAsync(client, "doomed", "one");
        await ManagementHost.CreateReceiverAsync(client, "doomed", "two");
        await ManagementHost.CreateReceiverAsync(client, "kept", "one");
        var doomedPaths = await _host.WithDbAsync(db =>
            db.Receivers.Where(r => r.Project!.Name == "doomed").Select(r => r.Path).ToListAsync());

        var response = await client.DeleteAsync("/api/projects/doomed");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/projects/doomed")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/projects/doomed/receivers/one")).StatusCode);
        var remaining = await _host.WithDbAsync(db => db.Receivers.Select(r => r.Project!.Name).ToListAsync());
        Assert.Equal(["kept"], remaining);
        Assert.Equal(doomedPaths.Order(), _host.Directory.Invalidated.Order());
    }

    [Fact]
    public async Task DeletingAnUnknownProjectIsNotFound()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.DeleteAsync("/api/projects/nowhere");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ManagementApiRefusesAnonymousAndUnknownTokensWithProblemDetails()
    {
        using var anonymous = _host.CreateClient();
        using var wrong = _host.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "whk_not-a-real-token");

        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var path in new[] { "/api/projects", "/api/projects/any/receivers", "/api/deliveries" })
            {
                await ProblemAssert.IsProblemAsync(await client.GetAsync(path), HttpStatusCode.Unauthorized);
            }

            await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/projects", new { name = "sneaky" }), HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task ManagementApiForbidsWebhookTokensWithProblemDetails()
    {
        var token = ApiTokenSecret.Generate();
        await _host.WithDbAsync(async db =>
        {
            db.ApiTokens.Add(new ApiToken
            {
                Name = "bitbucket",
                Type = ApiTokenType.Webhook,
                Prefix = ApiTokenSecret.VisiblePrefix(token),
                Hash = ApiTokenSecret.Hash(token),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var response = await client.GetAsync("/api/projects");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
