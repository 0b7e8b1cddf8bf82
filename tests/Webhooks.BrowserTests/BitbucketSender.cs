using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Webhooks.BrowserTests;

/// <summary>
/// Plays the operator's API calls and Bitbucket's side against the stack's receiver endpoint: creates a project and
/// a receiver through the management API, then posts real Bitbucket Cloud payloads signed as Bitbucket signs them.
/// </summary>
public sealed class BitbucketSender : IDisposable
{
    /// <summary>The fixture's documented secret; tests use it as their receivers' secret and check it never shows.</summary>
    public const string Secret = "Gkvl$k$wyNpQAF42";

    private readonly HttpClient _client;
    private readonly string _adminToken;

    public BitbucketSender(StackFixture stack)
        : this(stack.ReceiverUrl, stack.AdminToken)
    {
    }

    /// <param name="receiver">Where the receivers and the management API listen.</param>
    /// <param name="adminToken">The token the management API takes as <c>Authorization: Bearer</c>.</param>
    public BitbucketSender(Uri receiver, string adminToken)
    {
        _client = new HttpClient { BaseAddress = receiver, Timeout = TimeSpan.FromSeconds(30) };
        _adminToken = adminToken;
    }

    /// <summary>
    /// The repository this sender's pushes come from, unique to it: browser tests share one stack, and a warehouse
    /// another test subscribes to the fixture's repository would otherwise refresh on this sender's pushes too.
    /// </summary>
    public string Repository { get; } = $"nfalco79/test-repos-{Guid.NewGuid():N}"[..29];

    /// <summary>A credential the push carries in <c>Authorization</c>, as a proxy might add one: it must never show.</summary>
    public string ProxyCredential { get; } = $"Basic cHJveHk6{Guid.NewGuid():N}";

    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name));

    /// <summary>A project with one receiver; returns the receiver's URL.</summary>
    public async Task<Uri> CreateReceiverAsync(string project, string receiver)
    {
        (await ManageAsync("/api/projects", new { name = project })).EnsureSuccessStatusCode();
        var created = await ManageAsync($"/api/projects/{project}/receivers", new { name = receiver, secret = Secret });
        created.EnsureSuccessStatusCode();
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        return new Uri(body.GetProperty("url").GetString()!);
    }

    /// <summary>The Cloud push fixture from <see cref="Repository"/>, signed with <paramref name="secret"/>; returns the delivery id ingress answered with.</summary>
    public async Task<(HttpResponseMessage Response, Guid DeliveryId)> SendCloudPushAsync(Uri receiverUrl, string secret = Secret)
    {
        var body = Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Fixture("cloud-repo-push-signed.json")).Replace("nfalco79/test-repos", Repository, StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Post, receiverUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Event-Key", "repo:push");
        request.Headers.Add("X-Request-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hook-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Attempt-Number", "1");
        request.Headers.UserAgent.ParseAdd("Bitbucket-Webhooks/2.0");
        request.Headers.TryAddWithoutValidation("Authorization", ProxyCredential);
        request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        var response = await _client.SendAsync(request);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, answer.GetProperty("deliveryId").GetGuid());
    }

    private async Task<HttpResponseMessage> ManageAsync(string path, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminToken);
        return await _client.SendAsync(request);
    }

    public void Dispose() => _client.Dispose();
}
