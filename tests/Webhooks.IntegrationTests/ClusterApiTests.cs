using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests;

[Collection(StorageCollection.Name)]
public sealed class ClusterApiTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _factory = new(storage, "cluster");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task ClusterApiListsThisSiloAsActiveForAnAdmin()
    {
        using var client = _factory.CreateAdminClient();

        var cluster = await client.GetFromJsonAsync<JsonElement>("/api/cluster");

        var silos = cluster.GetProperty("silos").EnumerateArray().ToList();
        var self = Assert.Single(silos);
        Assert.Equal("Active", self.GetProperty("status").GetString());
        Assert.Equal(cluster.GetProperty("thisSilo").GetString(), self.GetProperty("address").GetString());
    }

    [Fact]
    public async Task ClusterApiRefusesAnonymousAndWrongTokensWithProblemDetails()
    {
        using var anonymous = _factory.CreateClient();
        using var wrong = _factory.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "whk_not-a-real-token");

        foreach (var client in new[] { anonymous, wrong })
        {
            var response = await client.GetAsync("/api/cluster");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task HealthIsReadyOnceMigrationsAndSiloAreUp()
    {
        using var client = _factory.CreateClient();

        var health = await client.GetAsync("/health");
        var alive = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }
}
