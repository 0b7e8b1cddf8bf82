using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Receiver;

namespace Webhooks.IntegrationTests.Arm;

/// <summary>The ARM-style endpoints with each way of presenting a webhook token, on real PostgreSQL and Redis.</summary>
[Collection(StorageCollection.Name)]
public sealed class ArmEndpointTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _factory = new(storage, "arm");
    private readonly CapturedLogs _logs = new();
    private WebApplicationFactory<ReceiverEntryPoint> _host = null!;
    private HttpClient _client = null!;
    private HttpClient _admin = null!;
    private string _token = "";
    private string _otherProjectToken = "";

    public async Task InitializeAsync()
    {
        _host = _factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(_logs);
        }));
        _client = _host.CreateClient();
        _admin = _host.CreateClient();
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _factory.AdminToken);
        (await _admin.PostAsJsonAsync("/api/projects", new { name = "acme" })).EnsureSuccessStatusCode();
        (await _admin.PostAsJsonAsync("/api/projects", new { name = "other" })).EnsureSuccessStatusCode();
        _token = await CreateTokenAsync("acme");
        _otherProjectToken = await CreateTokenAsync("other");
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        _admin.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
    }

    public static TheoryData<string, string> EndpointsAndAuthForms()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in new[] { "trigger-scm-push-request", "sync-alm-commits", "enterprise/trigger-scm-push-request", "enterprise/sync-alm-commits" })
        {
            foreach (var form in new[] { "hmac", "bearer", "query" })
            {
                data.Add(endpoint, form);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointsAndAuthForms))]
    public async Task AWebhookTokenOfTheProjectIsAcceptedInEachForm(string endpoint, string form)
    {
        var response = await _client.SendAsync(Push(endpoint, _token, form));

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", answer.GetProperty("outcome").GetString());
        var row = await DeliveryAsync(answer.GetProperty("deliveryId").GetGuid());
        Assert.Equal(DeliveryOutcome.Accepted, row.Outcome);
        Assert.NotNull(row.TokenId);
        Assert.NotNull(row.ProjectId);
        Assert.Null(row.ReceiverId);
    }

    [Theory]
    [MemberData(nameof(EndpointsAndAuthForms))]
    public async Task AnotherProjectsTokenIsRefused(string endpoint, string form)
    {
        var response = await _client.SendAsync(Push(endpoint, _otherProjectToken, form));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("hmac")]
    [InlineData("bearer")]
    [InlineData("query")]
    public async Task AnAdminTokenIsNotAWebhookToken(string form)
    {
        var response = await _client.SendAsync(Push("trigger-scm-push-request", _factory.AdminToken, form));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task WithoutAnyTokenTheDeliveryIsRefusedAndRecorded()
    {
        var response = await _client.SendAsync(Push("sync-alm-commits", token: null, "none"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = problem.GetProperty("deliveryId").GetGuid();
        var row = await Poll.UntilAsync(() => FindDeliveryAsync(id), d => d is not null, "the rejection to be recorded");
        Assert.Equal(DeliveryOutcome.Rejected, row!.Outcome);
    }

    [Fact]
    public async Task AnUnknownProjectIsNotFound()
    {
        var request = BitbucketSender.Cloud("/api/webhook/v2/nope/trigger-scm-push-request", "repo:push", Body, _token);

        Assert.Equal(HttpStatusCode.NotFound, (await _client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task ARevokedTokenIsRefusedInEveryForm()
    {
        var token = await CreateTokenAsync("acme");
        Assert.Equal(HttpStatusCode.Accepted, (await _client.SendAsync(Push("trigger-scm-push-request", token, "bearer"))).StatusCode);
        var id = (await _admin.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray()
            .Single(t => t.GetProperty("prefix").GetString() == token[..12]).GetProperty("id").GetGuid();

        (await _admin.DeleteAsync($"/api/tokens/{id}")).EnsureSuccessStatusCode();

        foreach (var form in new[] { "hmac", "bearer", "query" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _client.SendAsync(Push("trigger-scm-push-request", token, form))).StatusCode);
        }
    }

    [Theory]
    [InlineData("trigger-scm-push-request")]
    [InlineData("sync-alm-commits")]
    public async Task ARetriedDeliveryIsADuplicate(string endpoint)
    {
        var requestId = Guid.NewGuid().ToString();
        var first = await _client.SendAsync(Push(endpoint, _token, "query", requestId));
        var original = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();

        var retry = await _client.SendAsync(Push(endpoint, _token, "hmac", requestId, attempt: 2));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var answer = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", answer.GetProperty("outcome").GetString());
        Assert.Equal(original, answer.GetProperty("deliveryId").GetGuid());
    }

    [Fact]
    public async Task TheQueryTokenIsNeitherStoredNorLogged()
    {
        var accepted = await _client.SendAsync(Push("trigger-scm-push-request", _token, "query"));
        var refused = await _client.SendAsync(Push("sync-alm-commits", _otherProjectToken, "query"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var refusedId = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();
        await Poll.UntilAsync(() => FindDeliveryAsync(refusedId), d => d is not null, "the rejection to be recorded");

        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var rows = await db.Deliveries.AsNoTracking().ToListAsync();
        var stored = JsonSerializer.Serialize(rows);
        foreach (var secret in new[] { _token, _otherProjectToken })
        {
            Assert.DoesNotContain(secret, stored);
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            // Not even the part after the visible prefix.
            Assert.DoesNotContain(_logs.Lines, line => line.Contains(secret[12..], StringComparison.Ordinal));
        }

        Assert.NotEmpty(_logs.Lines);
    }

    private static byte[] Body => BitbucketSender.Fixture("cloud-repo-push-signed.json");

    private static HttpRequestMessage Push(string endpoint, string? token, string form, string? requestId = null, int attempt = 1)
    {
        var enterprise = endpoint.StartsWith("enterprise/", StringComparison.Ordinal);
        var url = $"/api/webhook/v2/acme/{endpoint}" + (form == "query" ? $"?token={token}" : "");
        var secret = form == "hmac" ? token : null;
        var request = enterprise
            ? BitbucketSender.DataCenter(url, "repo:refs_changed", BitbucketSender.Fixture("server-repo-refs_changed-gp.json"), secret, requestId)
            : BitbucketSender.Cloud(url, "repo:push", Body, secret, requestId, attempt);
        if (form == "bearer")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private async Task<string> CreateTokenAsync(string project)
    {
        var response = await _admin.PostAsJsonAsync("/api/tokens", new { name = $"bitbucket-{project}", type = "webhook", project });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private async Task<Delivery> DeliveryAsync(Guid id) => (await FindDeliveryAsync(id))!;

    private async Task<Delivery?> FindDeliveryAsync(Guid id)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        return await db.Deliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id);
    }
}
