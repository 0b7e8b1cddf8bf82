using System.Text.Json;
using System.Text.Json.Nodes;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>Builds Bitbucket Cloud <c>repo:push</c> bodies in the shape Cloud sends, for any repository and changes.</summary>
public static class CloudPush
{
    public sealed record Change(string Name, string? NewHash, string Type = "branch", string? OldHash = null, string? Message = null);

    public static Change Branch(string name, string newHash, string? message = null) => new(name, newHash, "branch", Hash("old" + name), message);

    public static Change Tag(string name, string newHash) => new(name, newHash, "tag");

    public static Change Delete(string name, string type = "branch") => new(name, null, type, Hash("old" + name));

    /// <summary>A deterministic 40-digit commit hash for a label.</summary>
    public static string Hash(string label) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(label)));

    /// <summary>The body; every body is distinct (a nonce), so ingress never takes two for replays of one another.</summary>
    public static byte[] Body(string fullName, params Change[] changes)
    {
        var changeNodes = new JsonArray();
        foreach (var change in changes)
        {
            JsonNode? Ref(string? hash) => hash is null ? null : new JsonObject
            {
                ["name"] = change.Name,
                ["type"] = change.Type,
                ["target"] = new JsonObject { ["type"] = "commit", ["hash"] = hash },
            };

            var commits = new JsonArray();
            if (change.NewHash is not null && change.Type == "branch")
            {
                commits.Add(new JsonObject
                {
                    ["type"] = "commit",
                    ["hash"] = change.NewHash,
                    ["message"] = (change.Message ?? $"Change {change.Name}") + "\n",
                    ["author"] = new JsonObject { ["raw"] = "Dev Eloper <dev@example.com>" },
                    ["date"] = "2026-01-02T03:04:05+00:00",
                });
            }

            changeNodes.Add(new JsonObject
            {
                ["old"] = Ref(change.OldHash),
                ["new"] = Ref(change.NewHash),
                ["created"] = change.OldHash is null,
                ["closed"] = change.NewHash is null,
                ["forced"] = false,
                ["truncated"] = false,
                ["commits"] = commits,
            });
        }

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
            ["push"] = new JsonObject { ["changes"] = changeNodes },
            ["nonce"] = Guid.NewGuid().ToString(),
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
