using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.BrowserTests;

/// <summary>Posts a webhook the way Bitbucket Cloud does: the exact bytes, signed with X-Hub-Signature.</summary>
public static class BitbucketPush
{
    /// <summary>The real Cloud push in the fixtures: branch <c>feature/webhook</c> of <c>nfalco79/test-repos</c> created.</summary>
    public const string FixtureRepository = "https://bitbucket.org/nfalco79/test-repos.git";

    public const string FixtureCommit = "d7f300a32270053bdfd97a6d64113f58202c33e7";

    public static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name));

    /// <summary>
    /// A Cloud <c>repo:push</c> of one new commit on <paramref name="branch"/>, in the shape Cloud sends; a nonce makes
    /// every body distinct, so ingress never takes two for replays of one another.
    /// </summary>
    public static byte[] CloudBody(string fullName, string branch, string commit, string message)
    {
        JsonObject Ref(string hash) => new()
        {
            ["name"] = branch,
            ["type"] = "branch",
            ["target"] = new JsonObject { ["type"] = "commit", ["hash"] = hash },
        };

        var body = new JsonObject
        {
            ["actor"] = new JsonObject { ["display_name"] = "Dev Eloper" },
            ["repository"] = new JsonObject
            {
                ["type"] = "repository",
                ["full_name"] = fullName,
                ["name"] = fullName.Split('/')[1],
                ["links"] = new JsonObject { ["html"] = new JsonObject { ["href"] = $"https://bitbucket.org/{fullName}" } },
            },
            ["push"] = new JsonObject
            {
                ["changes"] = new JsonArray(new JsonObject
                {
                    ["old"] = Ref(new string('1', 40)),
                    ["new"] = Ref(commit),
                    ["created"] = false,
                    ["closed"] = false,
                    ["forced"] = false,
                    ["truncated"] = false,
                    ["commits"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "commit",
                        ["hash"] = commit,
                        ["message"] = message + "\n",
                        ["author"] = new JsonObject { ["raw"] = "Dev Eloper <dev@example.com>" },
                        ["date"] = "2026-01-02T03:04:05+00:00",
                    }),
                }),
            },
            ["nonce"] = Guid.NewGuid().ToString(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

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
