using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Webhooks.Benchmarks.Load;

namespace Webhooks.Benchmarks.Payloads;

/// <summary>
/// Realistic signed bodies built from the shared fixtures (<c>tests/Fixtures/bitbucket</c>): Cloud <c>repo:push</c>
/// (about 14 KB) for even repositories, Data Center <c>repo:refs_changed</c> padded with untracked release branches to
/// about 6 KB for odd ones. Each repository's body is prepared once with a placeholder head; a push only writes its head
/// in and signs the bytes, so the generator spends its CPU sending, not serialising.
/// </summary>
public sealed class PushBodies
{
    private const string Placeholder = "0123456789abcdef0123456789abcdef0HEAD0HEAD";
    private readonly string _scope;
    private readonly string[] _templates;
    private readonly byte[] _secret;
    private readonly Uri _cloudUrl;
    private readonly Uri _dataCenterUrl;

    /// <param name="scope">Workspace (Cloud) and project key (Data Center) of the repositories: scenarios keep to their own.</param>
    public PushBodies(string scope, int repositories, string secret, Uri cloudUrl, Uri dataCenterUrl)
    {
        _scope = scope;
        _secret = Encoding.UTF8.GetBytes(secret);
        _cloudUrl = cloudUrl;
        _dataCenterUrl = dataCenterUrl;
        _templates = [.. Enumerable.Range(0, repositories).Select(i => IsCloud(i) ? CloudTemplate(Slug(i)) : DataCenterTemplate(Slug(i)))];
    }

    public const string DataCenterHost = "git.example.com";

    public int Repositories => _templates.Length;

    /// <summary>The branch every push moves: <c>feature/webhook</c> (Cloud fixture) or <c>master</c> (Data Center fixture).</summary>
    public static string Branch(int repository) => IsCloud(repository) ? "feature/webhook" : "master";

    public static bool IsCloud(int repository) => repository % 2 == 0;

    public static string Slug(int repository) => $"repo-{repository:D4}";

    /// <summary>The URL a warehouse subscribes with (another form than the payload's, as users write them).</summary>
    public string SubscriptionUrl(int repository) => IsCloud(repository)
        ? $"git@bitbucket.org:{_scope}/{Slug(repository)}.git"
        : $"ssh://git@{DataCenterHost}:7999/{_scope}/{Slug(repository)}.git";

    /// <summary>A fresh random 40-digit head.</summary>
    public static string NewHead() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public SignedPush Push(int repository, string head, string? deliveryId = null)
    {
        var body = Encoding.UTF8.GetBytes(_templates[repository].Replace(Placeholder, head, StringComparison.Ordinal));
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, body));
        var cloud = IsCloud(repository);
        return new SignedPush(cloud ? _cloudUrl : _dataCenterUrl, body, signature, cloud, deliveryId ?? Guid.NewGuid().ToString(), repository, head);
    }

    public int Size(int repository) => Encoding.UTF8.GetByteCount(_templates[repository]);

    private string CloudTemplate(string slug)
    {
        var body = Fixture("cloud-repo-push-signed.json");
        var repository = body["repository"]!;
        repository["full_name"] = $"{_scope}/{slug}";
        repository["name"] = slug;
        repository["links"]!["html"]!["href"] = $"https://bitbucket.org/{_scope}/{slug}";
        repository["links"]!["self"]!["href"] = $"https://api.bitbucket.org/2.0/repositories/{_scope}/{slug}";
        var change = body["push"]!["changes"]![0]!;
        change["new"]!["target"]!["hash"] = Placeholder;
        // Commits are listed newest first: the first is the head.
        change["commits"]![0]!["hash"] = Placeholder;
        return body.ToJsonString();
    }

    private string DataCenterTemplate(string slug)
    {
        var body = Fixture("server-repo-refs_changed-update.json");
        body["repository"]!["slug"] = slug;
        body["repository"]!["name"] = slug;
        body["repository"]!["project"]!["key"] = _scope.ToUpperInvariant();
        body["repository"]!["project"]!["name"] = _scope.ToUpperInvariant();
        var changes = body["changes"]!.AsArray();
        changes[0]!["toHash"] = Placeholder;
        // A push of several refs, as a release script makes: only master is followed, the rest is realistic weight.
        for (var k = 0; k < 24; k++)
        {
            changes.Add(new JsonObject
            {
                ["ref"] = new JsonObject { ["id"] = $"refs/heads/release/{k}.x", ["displayId"] = $"release/{k}.x", ["type"] = "BRANCH" },
                ["refId"] = $"refs/heads/release/{k}.x",
                ["fromHash"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{slug}-{k}-from"))),
                ["toHash"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{slug}-{k}-to"))),
                ["type"] = "UPDATE",
            });
        }

        return body.ToJsonString();
    }

    private static JsonNode Fixture(string name) =>
        JsonNode.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bitbucket", name)))!;
}
