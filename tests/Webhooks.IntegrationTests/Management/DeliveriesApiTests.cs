using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Management;

/// <summary>The history API over rows written straight into the database, the way ingress records them.</summary>
[Collection(StorageCollection.Name)]
public sealed class DeliveriesApiTests(StorageFixture storage) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly ManagementHost _host = new(storage, "deliveries");

    public async Task InitializeAsync()
    {
        using var client = _host.CreateAdminClient();
        await ManagementHost.CreateProjectAsync(client, "alpha");
        await ManagementHost.CreateProjectAsync(client, "beta");
        await ManagementHost.CreateReceiverAsync(client, "alpha", "cloud");
        await ManagementHost.CreateReceiverAsync(client, "alpha", "dc");
        await ManagementHost.CreateReceiverAsync(client, "beta", "cloud");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DeliveriesAreListedNewestFirstWithProjectAndReceiverNames()
    {
        await SeedHistoryAsync();
        using var client = _host.CreateAdminClient();

        var page = await client.GetFromJsonAsync<JsonElement>("/api/deliveries");

        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(7, items.Count);
        Assert.False(page.TryGetProperty("next", out var next) && next.ValueKind != JsonValueKind.Null);
        var times = items.Select(i => i.GetProperty("receivedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        var newest = items[0];
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("project").ValueKind);
        Assert.Equal("rejected", newest.GetProperty("outcome").GetString());
        var first = items[^1];
        Assert.Equal("alpha", first.GetProperty("project").GetString());
        Assert.Equal("cloud", first.GetProperty("receiver").GetString());
        Assert.Equal("cloud", first.GetProperty("source").GetString());
        Assert.Equal("repo:push", first.GetProperty("event").GetString());
        Assert.Equal("request-0", first.GetProperty("requestId").GetString());
        Assert.Equal("accepted", first.GetProperty("outcome").GetString());
        Assert.Equal("processed", first.GetProperty("state").GetString());
        Assert.Equal(202, first.GetProperty("statusCode").GetInt32());
        Assert.Equal("bitbucket.org/acme/api", first.GetProperty("repositoryKey").GetString());
        Assert.Equal(1.5, first.GetProperty("durationMs").GetDouble());
        Assert.False(first.TryGetProperty("body", out _));
    }

    [Theory]
    [InlineData("project=alpha", new[] { "request-0", "request-1", "request-2", "request-3" })]
    [InlineData("project=alpha&receiver=dc", new[] { "request-2", "request-3" })]
    [InlineData("receiver=cloud", new[] { "request-0", "request-1", "request-4", "request-5" })]
    [InlineData("event=repo:push", new[] { "request-0", "request-1", "request-4", "request-5", "request-6" })]
    [InlineData("outcome=accepted", new[] { "request-0", "request-2", "request-5" })]
    [InlineData("outcome=Rejected", new[] { "request-4", "request-6" })]
    [InlineData("project=beta&outcome=accepted", new[] { "request-5" })]
    [InlineData("project=beta&event=repo:refs_changed", new string[0])]
    public async Task DeliveriesAreFilteredByProjectReceiverEventAndOutcome(string query, string[] expected)
    {
        await SeedHistoryAsync();
        using var client = _host.CreateAdminClient();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/deliveries?{query}");

        var requestIds = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("requestId").GetString()).Order().ToList();
        Assert.Equal(expected, requestIds);
    }

    [Fact]
    public async Task PagingWithTheNextCursorWalksEveryDeliveryOnceEvenAcrossEqualTimestamps()
    {
        await SeedHistoryAsync();
        // Many rows sharing one timestamp: the cursor must tell them apart by id.
        await _host.WithDbAsync(async db =>
        {
            for (var i = 0; i < 9; i++)
            {
                db.Deliveries.Add(NewDelivery(db, $"tie-{i}", T0.AddSeconds(3), null, null, DeliveryOutcome.Ignored));
            }

            await db.SaveChangesAsync();
        });
        using var client = _host.CreateAdminClient();
        var everything = await client.GetFromJsonAsync<JsonElement>("/api/deliveries?limit=500");
        var expected = everything.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

        var walked = new List<Guid>();
        var pages = 0;
        string? before = null;
        do
        {
            var url = before is null ? "/api/deliveries?limit=4" : $"/api/deliveries?limit=4&before={Uri.EscapeDataString(before)}";
            var page = await client.GetFromJsonAsync<JsonElement>(url);
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 4);
            walked.AddRange(items.Select(i => i.GetProperty("id").GetGuid()));
            before = page.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (before is not null);

        Assert.Equal(16, expected.Count);
        Assert.Equal(expected, walked);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task ALastPageThatIsExactlyFullHasNoNextCursor()
    {
        await SeedHistoryAsync();
        using var client = _host.CreateAdminClient();

        var page = await client.GetFromJsonAsync<JsonElement>("/api/deliveries?limit=7");

        Assert.Equal(7, page.GetProperty("items").GetArrayLength());
        Assert.False(page.TryGetProperty("next", out var next) && next.ValueKind != JsonValueKind.Null);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("outcome=exploded", "outcome")]
    [InlineData("before=not-a-cursor", "before")]
    public async Task AnInvalidQueryIsAValidationProblemOnThatParameter(string query, string field)
    {
        using var client = _host.CreateAdminClient();

        var response = await client.GetAsync($"/api/deliveries?{query}");

        await ProblemAssert.IsValidationProblemAsync(response, field);
    }

    [Theory]
    [InlineData("project=nowhere", "Project not found")]
    [InlineData("project=alpha&receiver=nothing", "Receiver not found")]
    [InlineData("receiver=nothing", "Receiver not found")]
    public async Task FilteringByAnUnknownProjectOrReceiverIsNotFound(string query, string title)
    {
        using var client = _host.CreateAdminClient();

        var response = await client.GetAsync($"/api/deliveries?{query}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task DeliveryDetailDecompressesAJsonBodyAndShowsHeadersAnswerAndTimings()
    {
        const string body = """{"push":{"changes":[{"new":{"name":"main","target":{"hash":"abc123"}}}]},"repository":{"full_name":"acme/api"}}""";
        var id = await _host.WithDbAsync(async db =>
        {
            var delivery = NewDelivery(db, "detail", T0, "alpha", "cloud", DeliveryOutcome.Accepted);
            delivery.Headers = new() { ["X-Event-Key"] = "repo:push", ["X-Request-UUID"] = "detail", ["Authorization"] = "Bearer whk_leaked" };
            delivery.CompressedBody = DeliveryContent.Compress(Encoding.UTF8.GetBytes(body));
            delivery.BodySize = Encoding.UTF8.GetByteCount(body);
            delivery.BodySha256 = SHA256.HashData(Encoding.UTF8.GetBytes(body));
            delivery.Answer = """{"deliveryId":"x","event":"repo:push","outcome":"accepted","warehouses":2}""";
            delivery.AttemptNumber = 1;
            // Dispatched to two warehouses that were done with it before the dispatch was recorded: processed then.
            var progress = db.ChangeTracker.Entries<DeliveryProgress>().Single(e => e.Entity.DeliveryId == delivery.Id).Entity;
            progress.ProcessedAt = null;
            progress.DispatchedAt = T0.AddMilliseconds(5);
            progress.Warehouses = 2;
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
            return delivery.Id;
        });
        using var client = _host.CreateAdminClient();

        var response = await client.GetStringAsync($"/api/deliveries/{id}");

        Assert.DoesNotContain("whk_leaked", response);
        var detail = JsonDocument.Parse(response).RootElement;
        Assert.Equal(id, detail.GetProperty("id").GetGuid());
        Assert.Equal("alpha", detail.GetProperty("project").GetString());
        Assert.Equal("cloud", detail.GetProperty("receiver").GetString());
        Assert.Equal(JsonValueKind.Object, detail.GetProperty("body").ValueKind);
        Assert.Equal("acme/api", detail.GetProperty("body").GetProperty("repository").GetProperty("full_name").GetString());
        Assert.Equal(2, detail.GetProperty("answer").GetProperty("warehouses").GetInt32());
        Assert.Equal("repo:push", detail.GetProperty("headers").GetProperty("X-Event-Key").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(body), detail.GetProperty("bodySize").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))), detail.GetProperty("bodySha256").GetString());
        Assert.Equal(T0.AddMilliseconds(5), detail.GetProperty("timings").GetProperty("dispatchedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddMilliseconds(5), detail.GetProperty("timings").GetProperty("processedAt").GetDateTimeOffset());
        Assert.Equal("processed", detail.GetProperty("state").GetString());
        Assert.Equal(0, detail.GetProperty("refreshes").GetArrayLength());
    }

    [Fact]
    public async Task DeliveryDetailShowsABodyThatIsNotJsonAsText()
    {
        const string body = "payload=not json at all";
        var id = await _host.WithDbAsync(async db =>
        {
            var delivery = NewDelivery(db, "text", T0, "alpha", "cloud", DeliveryOutcome.Rejected);
            delivery.CompressedBody = DeliveryContent.Compress(Encoding.UTF8.GetBytes(body));
            db.Deliveries.Add(delivery);
            await db.SaveChangesAsync();
            return delivery.Id;
        });
        using var client = _host.CreateAdminClient();

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/deliveries/{id}");

        Assert.Equal(body, detail.GetProperty("body").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("answer").ValueKind);
    }

    [Fact]
    public async Task AnUnknownDeliveryIsNotFound()
    {
        using var client = _host.CreateAdminClient();

        var response = await client.GetAsync($"/api/deliveries/{Guid.CreateVersion7()}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("Delivery not found", problem.GetProperty("title").GetString());
    }

    /// <summary>Seven deliveries, request-0 (oldest) to request-6 (newest, on no receiver); request-4 and -5 share a time.</summary>
    private Task SeedHistoryAsync() =>
        _host.WithDbAsync(async db =>
        {
            db.Deliveries.AddRange(
                NewDelivery(db, "request-0", T0, "alpha", "cloud", DeliveryOutcome.Accepted, "repo:push"),
                NewDelivery(db, "request-1", T0.AddSeconds(1), "alpha", "cloud", DeliveryOutcome.Duplicate, "repo:push"),
                NewDelivery(db, "request-2", T0.AddSeconds(2), "alpha", "dc", DeliveryOutcome.Accepted, "repo:refs_changed"),
                NewDelivery(db, "request-3", T0.AddSeconds(3), "alpha", "dc", DeliveryOutcome.Pong, "diagnostics:ping"),
                NewDelivery(db, "request-4", T0.AddSeconds(4), "beta", "cloud", DeliveryOutcome.Rejected, "repo:push"),
                NewDelivery(db, "request-5", T0.AddSeconds(4), "beta", "cloud", DeliveryOutcome.Accepted, "repo:push"),
                NewDelivery(db, "request-6", T0.AddSeconds(5), null, null, DeliveryOutcome.Rejected, "repo:push"));
            await db.SaveChangesAsync();
        });

    private static Delivery NewDelivery(
        WebhooksDbContext db,
        string requestId,
        DateTimeOffset receivedAt,
        string? project,
        string? receiver,
        DeliveryOutcome outcome,
        string? eventKey = null)
    {
        var projectId = project is null ? (Guid?)null : db.Projects.Where(p => p.Name == project).Select(p => p.Id).Single();
        var receiverId = receiver is null
            ? (Guid?)null
            : db.Receivers.Where(r => r.ProjectId == projectId && r.Name == receiver).Select(r => r.Id).Single();
        var delivery = new Delivery
        {
            ReceivedAt = receivedAt,
            ProjectId = projectId,
            ReceiverId = receiverId,
            Source = "cloud",
            Event = eventKey,
            RequestId = requestId,
            Outcome = outcome,
            StatusCode = outcome switch
            {
                DeliveryOutcome.Accepted or DeliveryOutcome.Ignored => 202,
                DeliveryOutcome.Rejected => 401,
                _ => 200,
            },
            Reason = outcome == DeliveryOutcome.Rejected ? "The signature does not match." : null,
            RepositoryKey = eventKey == "repo:push" ? "bitbucket.org/acme/api" : null,
            DurationMs = 1.5,
        };
        if (outcome == DeliveryOutcome.Accepted)
        {
            // Accepted deliveries have a lifecycle; these were processed as they arrived.
            db.DeliveryProgress.Add(new DeliveryProgress { DeliveryId = delivery.Id, AcceptedAt = receivedAt, ProcessedAt = receivedAt });
        }

        return delivery;
    }
}
