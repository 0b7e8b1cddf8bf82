using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Webhooks.EndToEndTests;

/// <summary>
/// Real Bitbucket bodies from <c>tests/Fixtures/bitbucket</c> with a head of the test's choosing, sent with the headers
/// Cloud and Data Center send and signed the way they sign (HMAC-SHA256 of the exact bytes, keyed with the secret).
/// </summary>
public static class BitbucketPayloads
{
    /// <summary>
    /// Cloud <c>repo:push</c> creating branch <c>feature/webhook</c> at <paramref name="head"/> in <c>nfalco79/test-repos</c>,
    /// or in <c>nfalco79/&lt;slug&gt;</c> so that tests sharing a stack follow repositories of their own.
    /// </summary>
    public static byte[] CloudPush(string head, string slug = "test-repos")
    {
        var body = Fixture("cloud-repo-push-signed.json");
        var repository = body["repository"]!;
        repository["full_name"] = $"nfalco79/{slug}";
        repository["name"] = slug;
        repository["links"]!["html"]!["href"] = $"https://bitbucket.org/nfalco79/{slug}";
        repository["links"]!["self"]!["href"] = $"https://api.bitbucket.org/2.0/repositories/nfalco79/{slug}";
        var change = body["push"]!["changes"]![0]!;
        change["new"]!["target"]!["hash"] = head;
        // Commits are listed newest first: the first is the head, whose message and author the Freight carries.
        change["commits"]![0]!["hash"] = head;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>
    /// Data Center <c>repo:refs_changed</c> of <c>PRJ/my-repo</c> moving <c>master</c> to <paramref name="head"/>, in the
    /// old shape without repository links (the receiver's server URL names the repository).
    /// </summary>
    public static byte[] DataCenterPush(string head)
    {
        var body = Fixture("server-repo-refs_changed-update.json");
        body["changes"]![0]!["toHash"] = head;
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>A deterministic 40-digit commit hash for a label.</summary>
    public static string Hash(string label) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(label)));

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/> keyed with the secret's UTF-8 bytes.</summary>
    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static HttpRequestMessage Cloud(Uri url, byte[] body, string secret)
    {
        var request = Signed(url, body, secret, "application/json");
        request.Headers.Add("X-Event-Key", "repo:push");
        request.Headers.Add("X-Hook-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Request-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Attempt-Number", "1");
        request.Headers.UserAgent.ParseAdd("Bitbucket-Webhooks/2.0");
        return request;
    }

    public static HttpRequestMessage DataCenter(Uri url, byte[] body, string secret)
    {
        var request = Signed(url, body, secret, "application/json; charset=utf-8");
        request.Headers.Add("X-Event-Key", "repo:refs_changed");
        request.Headers.Add("X-Request-Id", Guid.NewGuid().ToString());
        return request;
    }

    private static HttpRequestMessage Signed(Uri url, byte[] body, string secret, string contentType)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Hub-Signature", Signature(secret, body));
        return request;
    }

    private static JsonNode Fixture(string name) =>
        JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name)))!;
}
