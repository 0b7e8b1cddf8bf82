using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.BrowserTests;

/// <summary>Posts a webhook the way Bitbucket Cloud does: the exact bytes, signed with X-Hub-Signature.</summary>
public static class BitbucketPush
{
    /// <summary>The real Cloud push in the fixtures: branch <c>feature/webhook</c> of <c>nfalco79/test-repos</c> created.</summary>
    public const string FixtureRepository = "https://bitbucket.org/nfalco79/test-repos.git";

    public const string FixtureCommit = "d7f300a32270053bdfd97a6d64113f58202c33e7";

    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name));

    public static async Task<HttpResponseMessage> SendCloudAsync(HttpClient client, string url, byte[] body, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Event-Key", "repo:push");
        request.Headers.Add("X-Hook-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Request-UUID", Guid.NewGuid().ToString());
        request.Headers.Add("X-Attempt-Number", "1");
        request.Headers.UserAgent.ParseAdd("Bitbucket-Webhooks/2.0");
        request.Headers.Add("X-Hub-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        return await client.SendAsync(request);
    }
}
