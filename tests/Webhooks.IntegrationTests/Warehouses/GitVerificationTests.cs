using System.Net;
using System.Net.Http.Json;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Management;

namespace Webhooks.IntegrationTests.Warehouses;

/// <summary>
/// A git-mode subscription is listed with the real git CLI before it is saved: a repository git cannot reach is refused
/// with git's message, which never carries the credentials given.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class GitVerificationTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Password = "hunter2-never-in-an-answer";

    private readonly ManagementHost _host = new(storage, "git_verification");

    public async Task InitializeAsync()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "acme");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("https://127.0.0.1:1/scm/proj/repo.git", true)]
    [InlineData("https://ci:" + Password + "@127.0.0.1:1/scm/proj/repo.git", false)]
    public async Task AnUnreachableRepositoryIsRefusedWithGitsMessageAndNoCredentials(string repoUrl, bool credentialsField)
    {
        using var client = _host.CreateAdminClient();
        object subscription = credentialsField
            ? new { repoUrl, discovery = "git", credentials = new { username = "ci", password = Password } }
            : new { repoUrl, discovery = "git" };

        var response = await client.PostAsJsonAsync("/api/projects/acme/warehouses", new { name = "unreachable", subscriptions = new[] { subscription } });

        var problem = await ProblemAssert.IsValidationProblemAsync(response, "subscriptions[0].repoUrl");
        var message = problem.GetProperty("errors").GetProperty("subscriptions[0].repoUrl")[0].GetString()!;
        Assert.Contains("Listing the refs of", message);
        Assert.Contains("verify", message);
        Assert.DoesNotContain(Password, problem.GetRawText());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/projects/acme/warehouses/unreachable")).StatusCode);
    }
}
