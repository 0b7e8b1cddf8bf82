using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Receiver.Ingress;

namespace Webhooks.IntegrationTests.Infrastructure;

/// <summary>Sends requests the way Bitbucket Cloud and Data Center do, signed over the exact bytes.</summary>
public static class BitbucketSender
{
    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name));

    /// <summary>A Cloud delivery: X-Event-Key, X-Hook-UUID, X-Request-UUID, X-Attempt-Number, Bitbucket's user agent.</summary>
    public static HttpRequestMessage Cloud(string url, string eventKey, byte[] body, string? secret, string? requestId = null, int attempt = 1)
    {
        var request = Request(url, body, secret, "application/json");
        request.Headers.Add("X-Event-Key", eventKey);
        request.Headers.Add("X-Hook-UUID", "0302255c-f4f0-4232-916b-bef521fbdd08");
        request.Headers.Add("X-Request-UUID", requestId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Attempt-Number", attempt.ToString());
        request.Headers.UserAgent.ParseAdd("Bitbucket-Webhooks/2.0");
        return request;
    }

    /// <summary>A Data Center delivery: X-Event-Key and X-Request-Id, JSON with a charset.</summary>
    public static HttpRequestMessage DataCenter(string url, string eventKey, byte[] body, string? secret, string? requestId = null)
    {
        var request = Request(url, body, secret, "application/json; charset=utf-8");
        request.Headers.Add("X-Event-Key", eventKey);
        request.Headers.Add("X-Request-Id", requestId ?? Guid.NewGuid().ToString());
        return request;
    }

    private static HttpRequestMessage Request(string url, byte[] body, string? secret, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (secret is not null)
        {
            request.Headers.Add(HubSignature.HeaderName, HubSignature.Compute(secret, body));
        }

        return request;
    }

    /// <summary>Creates a project (if needed) and a receiver; returns its path-relative URL and secret.</summary>
    public static async Task<(string Url, string Secret)> CreateReceiverAsync(
        HttpClient admin, string project, string receiver, string? secret = null, string? serverUrl = null)
    {
        var created = await admin.PostAsJsonAsync("/api/projects", new { name = project });
        if (created.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            created.EnsureSuccessStatusCode();
        }

        var response = await admin.PostAsJsonAsync($"/api/projects/{project}/receivers", new { name = receiver, secret, serverUrl });
        Assert.True(response.IsSuccessStatusCode, $"Creating receiver {project}/{receiver}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var url = new Uri(body.GetProperty("url").GetString()!);
        return (url.PathAndQuery, body.GetProperty("secret").GetString()!);
    }
}
