using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Webhooks.Grains.Tokens;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Management;

/// <summary>
/// The management hostile corpus against the Receiver: no request answers 5xx, each answers its 4xx as problem details
/// (application/problem+json with title and status) that mention the field, position or credential at fault, never
/// echo a token, and the service is healthy afterwards.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class ManagementHostileTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Project = "acme";
    private const string Receiver = "cloud";
    private const string Warehouse = "shop";

    private readonly ManagementHost _host = new(storage, "management_hostile");
    private string _webhookToken = null!;
    private string _adminToken = null!;

    public async Task InitializeAsync()
    {
        using var client = _host.CreateAdminClient();
        _adminToken = client.DefaultRequestHeaders.Authorization!.Parameter!;
        await ManagementHost.CreateProjectAsync(client, Project);
        await ManagementHost.CreateReceiverAsync(client, Project, Receiver);
        var warehouse = await client.PostAsJsonAsync($"/api/projects/{Project}/warehouses",
            new { name = Warehouse, subscriptions = new[] { new { repoUrl = "https://bitbucket.org/acme/api.git" } } });
        Assert.Equal(HttpStatusCode.Created, warehouse.StatusCode);
        var token = await client.PostAsJsonAsync("/api/tokens", new { name = "bitbucket", type = "webhook", project = Project });
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);
        _webhookToken = (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryHostileManagementRequestGetsA4xxProblemThatSaysWhatIsWrongAndTheServiceStaysHealthy()
    {
        using var client = _host.CreateClient();
        var failures = new List<string>();
        foreach (var hostile in ManagementHostileCorpus.All)
        {
            try
            {
                await CheckAsync(client, hostile);
            }
            catch (Exception exception)
            {
                failures.Add($"{hostile.Name}: {exception.Message}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {ManagementHostileCorpus.All.Count} hostile cases went wrong:\n" + string.Join("\n", failures));
        Assert.True(ManagementHostileCorpus.All.Count >= 80, $"the corpus has {ManagementHostileCorpus.All.Count} cases");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        // Nothing a hostile request did changed what was set up.
        using var admin = _host.CreateAdminClient();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/projects/{Project}/receivers/{Receiver}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/projects/{Project}/warehouses/{Warehouse}")).StatusCode);
        var projects = await admin.GetFromJsonAsync<JsonElement>("/api/projects");
        Assert.Equal([Project], projects.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    private async Task CheckAsync(HttpClient client, ManagementHostileCase hostile)
    {
        using var request = new HttpRequestMessage(hostile.Method, Fill(hostile.Path));
        if (hostile.Body is { } body)
        {
            // Placeholders are filled in the small, well-formed bodies; the rest go byte for byte.
            var bytes = body.Length < 100_000 && System.Text.Unicode.Utf8.IsValid(body) ? Encoding.UTF8.GetBytes(Fill(Encoding.UTF8.GetString(body))) : body;
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = hostile.ContentType is null ? null : MediaTypeHeaderValue.Parse(hostile.ContentType);
        }

        if (hostile.Authorization is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", Fill(authorization));
        }
        else if (hostile.Credentials != Credentials.None)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", hostile.Credentials switch
            {
                Credentials.Admin => _adminToken,
                Credentials.WebhookToken => _webhookToken,
                _ => ApiTokenSecret.Generate(),
            });
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"answered {(int)response.StatusCode}: {Shorten(text)}");
        Assert.True((int)response.StatusCode == hostile.Status, $"expected {hostile.Status}, got {(int)response.StatusCode}: {Shorten(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"content type {response.Content.Headers.ContentType}: {Shorten(text)}");
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(hostile.Status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()), "the problem has no title");
        if (hostile.Mentions is { } mentions)
        {
            Assert.True(text.Contains(Fill(mentions), StringComparison.OrdinalIgnoreCase), $"the problem does not mention '{mentions}': {Shorten(text)}");
        }

        foreach (var secret in new[] { _adminToken, _webhookToken })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    private string Fill(string text) => text
        .Replace("{p}", Project, StringComparison.Ordinal)
        .Replace("{r}", Receiver, StringComparison.Ordinal)
        .Replace("{w}", Warehouse, StringComparison.Ordinal)
        .Replace("{admin}", _adminToken, StringComparison.Ordinal);

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";
}
