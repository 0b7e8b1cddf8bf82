using System.Text;

namespace Webhooks.IntegrationTests.Management;

/// <summary>
/// Hostile requests to every management endpoint: malformed, empty, huge and deeply nested bodies, wrong JSON types,
/// unknown and duplicate properties, bad query values and cursors, malformed ids, control characters, wrong content
/// types, missing or wrong credentials, webhook tokens on admin endpoints, hostile globs and regexes. None may answer
/// 5xx; each answers the 4xx it names as problem details that say what is wrong.
/// </summary>
public static class ManagementHostileCorpus
{
    private const string Projects = "/api/projects";
    private const string Receivers = "/api/projects/{p}/receivers";
    private const string Receiver = "/api/projects/{p}/receivers/{r}";
    private const string Warehouses = "/api/projects/{p}/warehouses";
    private const string Warehouse = "/api/projects/{p}/warehouses/{w}";
    private const string SmartCommits = "/api/projects/{p}/smart-commits";
    private const string Repo = "https://bitbucket.org/acme/api.git";
    private const string Missing = "00000000-0000-0000-0000-000000000001";

    public static IReadOnlyList<ManagementHostileCase> All { get; } =
        [.. Bodies(), .. Types(), .. UnknownProperties(), .. Queries(), .. Ids(), .. ContentTypes(), .. Authentication(), .. Patterns(), .. Validation()];

    /// <summary>Bodies that are not a JSON object at all.</summary>
    private static IEnumerable<ManagementHostileCase> Bodies()
    {
        yield return Post("project: JSON cut short", Projects, "{\"name\":", 400, "line 1");
        yield return Post("project: an empty body", Projects, "", 400, "body");
        yield return Post("project: whitespace only", Projects, "   \n ", 400, "line");
        yield return Post("project: a JSON array", Projects, "[]", 400, "object");
        yield return Post("project: a JSON string", Projects, "\"acme\"", 400, "object");
        yield return Post("project: a JSON number", Projects, "42", 400, "object");
        yield return Post("project: JSON null", Projects, "null", 400, "body");
        yield return Post("project: a trailing comma", Projects, "{\"name\":\"x\",}", 400, "line 1");
        yield return Post("project: a comment", Projects, "{\"name\":\"x\" /* hi */}", 400, "line 1");
        yield return Post("project: single quotes", Projects, "{'name':'x'}", 400, "line 1");
        yield return Post("project: two documents", Projects, "{\"name\":\"x\"}{\"name\":\"y\"}", 400, "line 1");
        yield return Post("project: the name twice", Projects, "{\"name\":\"x\",\"name\":\"y\"}", 400, "twice");
        yield return Post("project: nested 200 deep", Projects, "{\"name\":" + Nested(200) + "}", 400, "deeper");
        yield return Post("project: 500 000 open brackets", Projects, new string('[', 500_000), 400, "object");
        yield return Post("project: a 2 MB name", Projects, "{\"name\":\"" + new string('a', 2_000_000) + "\"}", 400, "name");
        yield return Post("project: an object of 50 000 unknown members", Projects,
            "{" + string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"\"k{i}\":{i}")) + "}", 400, "k0");
        yield return new("project: bytes that are not UTF-8", HttpMethod.Post, Projects, [.. "{\"name\":\""u8, 0xC0, 0xAF, .. "\"}"u8], 400, "line 1");
        yield return Post("project: an unterminated string", Projects, "{\"name\":\"abc", 400, "line 1");
        yield return Post("receiver: an empty body", Receivers, "", 400, "body");
        yield return Post("receiver: a JSON array", Receivers, "[{\"name\":\"x\"}]", 400, "object");
        yield return Post("warehouse: JSON cut short", Warehouses, "{\"name\":\"w\",\"subscriptions\":[{", 400, "line 1");
        yield return Post("warehouse: nested 100 deep in a subscription", Warehouses,
            "{\"name\":\"w\",\"subscriptions\":[{\"repoUrl\":" + Nested(100) + "}]}", 400, "deeper");
        yield return Put("warehouse update: an empty body", Warehouse, "", 400, "body");
        yield return Put("smart commits: an empty body", SmartCommits, "", 400, "body");
        yield return Put("smart commits: a JSON string", SmartCommits, "\"ABC-1\"", 400, "object");
        yield return Post("token: an empty body", "/api/tokens", "", 400, "body");
        yield return Post("rotate: a JSON array", Receiver + "/rotate-secret", "[]", 400, "object");
        yield return Put("allowed networks: JSON null", Receiver + "/allowed-networks", "null", 400, "body");
        yield return Patch("receiver edit: an empty body", Receiver, "", 400, "body");
        yield return Patch("receiver edit: a JSON number", Receiver, "7", 400, "object");
    }

    /// <summary>A value of the wrong JSON type where a field is declared.</summary>
    private static IEnumerable<ManagementHostileCase> Types()
    {
        yield return Post("project: name is a number", Projects, "{\"name\":5}", 400, "name");
        yield return Post("project: name is true", Projects, "{\"name\":true}", 400, "name");
        yield return Post("project: name is an object", Projects, "{\"name\":{}}", 400, "name");
        yield return Post("project: name is an array", Projects, "{\"name\":[\"a\"]}", 400, "name");
        yield return Post("receiver: secret is a number", Receivers, "{\"name\":\"typed\",\"secret\":12345678901234567890}", 400, "secret");
        yield return Post("receiver: allowedNetworks is a string", Receivers, "{\"name\":\"typed\",\"allowedNetworks\":\"10.0.0.0/8\"}", 400, "allowedNetworks");
        yield return Post("receiver: allowedNetworks holds a number", Receivers, "{\"name\":\"typed\",\"allowedNetworks\":[10]}", 400, "allowedNetworks[0]");
        yield return Post("receiver: serverUrl is an object", Receivers, "{\"name\":\"typed\",\"serverUrl\":{\"href\":\"x\"}}", 400, "serverUrl");
        yield return Post("rotate: gracePeriod is a number", Receiver + "/rotate-secret", "{\"gracePeriod\":3600}", 400, "gracePeriod");
        yield return Put("allowed networks: a string for the list", Receiver + "/allowed-networks", "{\"allowedNetworks\":\"any\"}", 400, "allowedNetworks");
        yield return Patch("receiver edit: description is a number", Receiver, "{\"description\":5}", 400, "description");
        yield return Patch("receiver edit: allowedNetworks is an object", Receiver, "{\"allowedNetworks\":{}}", 400, "allowedNetworks");
        yield return Post("warehouse: subscriptions is a string", Warehouses, $"{{\"name\":\"typed\",\"subscriptions\":\"{Repo}\"}}", 400, "subscriptions");
        yield return Post("warehouse: repoUrl is a number", Warehouses, "{\"name\":\"typed\",\"subscriptions\":[{\"repoUrl\":5}]}", 400, "subscriptions[0].repoUrl");
        yield return Post("warehouse: credentials is a string", Warehouses,
            $"{{\"name\":\"typed\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\",\"credentials\":\"user:pass\"}}]}}", 400, "subscriptions[0].credentials");
        yield return Post("warehouse: notify is an array", Warehouses, $"{{\"name\":\"typed\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"notify\":[]}}", 400, "notify");
        yield return Post("warehouse: notify secret is a number", Warehouses,
            $"{{\"name\":\"typed\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"notify\":{{\"url\":\"https://ci.example.com\",\"secret\":1234567890123456}}}}", 400, "notify.secret");
        yield return Post("warehouse: interval is a number", Warehouses, $"{{\"name\":\"typed\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"interval\":300}}", 400, "interval");
        yield return Post("warehouse: verify is a string", Warehouses, $"{{\"name\":\"typed\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"verify\":\"no\"}}", 400, "verify");
        yield return Put("smart commits: enabled is a string", SmartCommits, "{\"enabled\":\"yes\",\"patterns\":[]}", 400, "enabled");
        yield return Put("smart commits: patterns is a string", SmartCommits, "{\"enabled\":true,\"patterns\":\"([A-Z]+-\\\\d+)\"}", 400, "patterns");
        yield return Post("token: type is a number", "/api/tokens", "{\"name\":\"t\",\"type\":1}", 400, "type");
        yield return Post("token: expiresAt is not a date", "/api/tokens", "{\"name\":\"t\",\"type\":\"admin\",\"expiresAt\":\"tomorrow\"}", 400, "expiresAt");
    }

    /// <summary>Properties nobody declared: a typo must not be ignored (a misspelt secret once produced a generated one).</summary>
    private static IEnumerable<ManagementHostileCase> UnknownProperties()
    {
        yield return Post("project: 'nmae'", Projects, "{\"nmae\":\"typo\"}", 400, "nmae");
        yield return Post("project: an extra property", Projects, "{\"name\":\"extra\",\"owner\":\"me\"}", 400, "owner");
        yield return Post("receiver: 'secert'", Receivers, "{\"name\":\"typo\",\"secert\":\"0123456789abcdef0123\"}", 400, "secert");
        yield return Post("receiver: 'url' (not settable)", Receivers, "{\"name\":\"typo\",\"url\":\"https://evil.example.com\"}", 400, "url");
        yield return Post("rotate: 'grace'", Receiver + "/rotate-secret", "{\"grace\":\"PT1H\"}", 400, "grace");
        yield return Put("allowed networks: 'networks'", Receiver + "/allowed-networks", "{\"networks\":[]}", 400, "networks");
        yield return Patch("receiver edit: 'secret' (rotate it instead)", Receiver, "{\"secret\":\"0123456789abcdef0123\"}", 400, "secret");
        yield return Patch("receiver edit: 'path'", Receiver, "{\"path\":\"abc\"}", 400, "path");
        yield return Post("warehouse: 'subscription'", Warehouses, $"{{\"name\":\"typo\",\"subscription\":[{{\"repoUrl\":\"{Repo}\"}}]}}", 400, "subscription");
        yield return Post("warehouse: 'repo' in a subscription", Warehouses, $"{{\"name\":\"typo\",\"subscriptions\":[{{\"repo\":\"{Repo}\"}}]}}", 400, "subscriptions[0].repo");
        yield return Post("warehouse: 'pasword' in credentials", Warehouses,
            $"{{\"name\":\"typo\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\",\"credentials\":{{\"username\":\"u\",\"pasword\":\"p\"}}}}]}}", 400, "pasword");
        yield return Post("warehouse: 'secert' in notify", Warehouses,
            $"{{\"name\":\"typo\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"notify\":{{\"url\":\"https://ci.example.com\",\"secert\":\"0123456789abcdef\"}}}}", 400, "secert");
        yield return Put("smart commits: 'enabeld'", SmartCommits, "{\"enabeld\":true,\"patterns\":[]}", 400, "enabeld");
        yield return Post("token: 'projet'", "/api/tokens", "{\"name\":\"t\",\"type\":\"webhook\",\"projet\":\"acme\"}", 400, "projet");
        yield return Post("token: a property with control characters in its name", "/api/tokens", "{\"name\":\"t\",\"a\\u0001b\":1}", 400, "property");
    }

    /// <summary>Query values that are not numbers, out of range, garbage cursors, unknown filters.</summary>
    private static IEnumerable<ManagementHostileCase> Queries()
    {
        yield return Get("deliveries: limit=abc", "/api/deliveries?limit=abc", 400, "limit");
        yield return Get("deliveries: limit=0", "/api/deliveries?limit=0", 400, "limit");
        yield return Get("deliveries: limit=-5", "/api/deliveries?limit=-5", 400, "limit");
        yield return Get("deliveries: limit=501", "/api/deliveries?limit=501", 400, "limit");
        yield return Get("deliveries: limit beyond int", "/api/deliveries?limit=99999999999", 400, "limit");
        yield return Get("deliveries: limit=1e3", "/api/deliveries?limit=1e3", 400, "limit");
        yield return Get("deliveries: limit given twice", "/api/deliveries?limit=1&limit=2", 400, "limit");
        yield return Get("deliveries: a garbage cursor", "/api/deliveries?before=garbage!!", 400, "before");
        yield return Get("deliveries: a cursor of the wrong length", "/api/deliveries?before=AAAAAAAAAAAA", 400, "before");
        yield return Get("deliveries: a 10 000-character cursor", "/api/deliveries?before=" + new string('A', 10_000), 400, "before");
        yield return Get("deliveries: an unknown outcome", "/api/deliveries?outcome=exploded", 400, "outcome");
        yield return Get("deliveries: a NUL in the event filter", "/api/deliveries?event=repo%00push", 400, "event");
        yield return Get("deliveries: an unknown project", "/api/deliveries?project=no-such-project", 404, "no-such-project");
        yield return Get("deliveries: an unknown receiver", "/api/deliveries?receiver=no-such-receiver", 404, "no-such-receiver");
        yield return Get("freight: limit=abc", Warehouse + "/freight?limit=abc", 400, "limit");
        yield return Get("freight: limit=0", Warehouse + "/freight?limit=0", 400, "limit");
        yield return Get("freight: limit=100000", Warehouse + "/freight?limit=100000", 400, "limit");
        yield return Get("refreshes: limit=-1", Warehouse + "/refreshes?limit=-1", 400, "limit");
        yield return Get("refreshes: limit=ten", Warehouse + "/refreshes?limit=ten", 400, "limit");
        yield return Get("requests: limit beyond int", Warehouse + "/requests?limit=4294967296", 400, "limit");
        yield return Get("cluster: all=maybe", "/api/cluster?all=maybe", 400, "all");
    }

    /// <summary>Ids and names in the path that are malformed, missing, huge or carry control characters.</summary>
    private static IEnumerable<ManagementHostileCase> Ids()
    {
        yield return Get("delivery: an id that is not a UUID", "/api/deliveries/not-a-uuid", 404, null);
        yield return Get("delivery: an unknown id", $"/api/deliveries/{Missing}", 404, Missing);
        yield return Post("redeliver: an unknown id", $"/api/deliveries/{Missing}/redeliver", null, 404, Missing);
        yield return Post("redeliver: an id that is not a UUID", "/api/deliveries/1/redeliver", null, 404, null);
        yield return new("token: revoke an id that is not a UUID", HttpMethod.Delete, "/api/tokens/%27%20OR%201=1", null, 404, null);
        yield return new("token: revoke an unknown id", HttpMethod.Delete, $"/api/tokens/{Missing}", null, 404, null);
        yield return Get("freight: an id that is not a UUID", Warehouse + "/freight/xyz", 404, null);
        yield return Get("freight: an unknown id", $"{Warehouse}/freight/{Missing}", 404, Missing);
        yield return Get("project: an unknown name", Projects + "/no-such-project", 404, "no-such-project");
        yield return Get("project: a control character in the name", Projects + "/ac%01me", 400, "project");
        yield return Get("project: a newline in the name", Projects + "/ac%0Ame", 400, "project");
        yield return Get("project: a 5 000-character name", Projects + "/" + new string('p', 5_000), 404, null);
        yield return new("project: delete an unknown one", HttpMethod.Delete, Projects + "/no-such-project", null, 404, "no-such-project");
        yield return Get("receiver: an unknown name", Receivers + "/no-such-receiver", 404, "no-such-receiver");
        yield return Get("receiver: an escape character in the name", Receivers + "/clo%1Bud", 400, "name");
        yield return Get("receiver: path traversal", Receivers + "/..%2F..%2Ftokens", 404, null);
        yield return Get("webhook data: an unknown receiver", Receivers + "/no-such-receiver/webhook-data", 404, "no-such-receiver");
        yield return Post("rotate: an unknown receiver", Receivers + "/no-such-receiver/rotate-secret", "{}", 404, "no-such-receiver");
        yield return Patch("receiver edit: an unknown receiver", Receivers + "/no-such-receiver", "{\"description\":\"x\"}", 404, "no-such-receiver");
        yield return new("receiver: delete an unknown one", HttpMethod.Delete, Receivers + "/no-such-receiver", null, 404, "no-such-receiver");
        yield return Get("warehouse: an unknown name", Warehouses + "/no-such-warehouse", 404, "no-such-warehouse");
        yield return Post("warehouse: refresh an unknown one", Warehouses + "/no-such-warehouse/refresh", null, 404, "no-such-warehouse");
        yield return Get("warehouse: a tab in the name", Warehouses + "/sh%09op", 400, "name");
        yield return Get("smart commits: an unknown project", "/api/projects/no-such-project/smart-commits", 404, "no-such-project");
        yield return Get("issue commits: a bell in the issue key", "/api/projects/{p}/alm/issues/ABC%07-1/commits", 400, "key");
        yield return Get("receivers: an unknown project", "/api/projects/no-such-project/receivers", 404, "no-such-project");
        yield return new("projects: a method the route does not have", HttpMethod.Patch, Projects, [.. "{}"u8], 405, null);
    }

    /// <summary>Bodies sent as something other than JSON.</summary>
    private static IEnumerable<ManagementHostileCase> ContentTypes()
    {
        yield return Post("project: text/plain", Projects, "{\"name\":\"plain\"}", 415, "application/json") with { ContentType = "text/plain" };
        yield return Post("project: no content type", Projects, "{\"name\":\"none\"}", 415, "application/json") with { ContentType = null };
        yield return Post("project: a form", Projects, "name=form", 415, "application/json") with { ContentType = "application/x-www-form-urlencoded" };
        yield return Post("receiver: XML", Receivers, "<name>x</name>", 415, "application/json") with { ContentType = "application/xml" };
        yield return Put("smart commits: multipart", SmartCommits, "--x--", 415, "application/json") with { ContentType = "multipart/form-data; boundary=x" };
    }

    /// <summary>No token, a malformed header, a wrong token, a webhook token on admin endpoints.</summary>
    private static IEnumerable<ManagementHostileCase> Authentication()
    {
        yield return Get("projects: no token", Projects, 401, "Authorization") with { Credentials = Credentials.None };
        yield return Post("receivers: no token", Receivers, "{\"name\":\"anon\"}", 401, "Authorization") with { Credentials = Credentials.None };
        yield return Get("deliveries: no token", "/api/deliveries", 401, "Authorization") with { Credentials = Credentials.None };
        yield return Get("projects: the admin token as ?token=", Projects + "?token={admin}", 401, "Authorization") with { Credentials = Credentials.None };
        yield return Get("projects: Basic credentials", Projects, 401, "Bearer") with { Authorization = "Basic YWRtaW46YWRtaW4=" };
        yield return Get("projects: 'Bearer' with no token", Projects, 401, "Bearer") with { Authorization = "Bearer    " };
        yield return Get("projects: the token with no scheme", Projects, 401, "Bearer") with { Authorization = "{admin}" };
        yield return Get("projects: an unknown token", Projects, 401, "unknown") with { Credentials = Credentials.UnknownToken };
        yield return Get("warehouses: an unknown token", Warehouses, 401, "unknown") with { Credentials = Credentials.UnknownToken };
        yield return Get("projects: a webhook token", Projects, 403, "admin token") with { Credentials = Credentials.WebhookToken };
        yield return Post("tokens: a webhook token minting an admin token", "/api/tokens", "{\"name\":\"escalate\",\"type\":\"admin\"}", 403, "admin token")
            with { Credentials = Credentials.WebhookToken };
        yield return Get("webhook data: a webhook token", Receiver + "/webhook-data", 403, "admin token") with { Credentials = Credentials.WebhookToken };
        yield return Post("rotate: a webhook token", Receiver + "/rotate-secret", "{}", 403, "admin token") with { Credentials = Credentials.WebhookToken };
        yield return Get("cluster: a webhook token", "/api/cluster", 403, "admin token") with { Credentials = Credentials.WebhookToken };
        yield return Put("smart commits: a webhook token", SmartCommits, "{\"enabled\":true,\"patterns\":[]}", 403, "admin token") with { Credentials = Credentials.WebhookToken };
    }

    /// <summary>Globs and regexes built to hurt: invalid, runaway backtracking, huge.</summary>
    private static IEnumerable<ManagementHostileCase> Patterns()
    {
        static string Sub(string field, string value) =>
            $"{{\"name\":\"globs\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\",\"{field}\":{value}}}]}}";

        yield return Post("glob: a character class", Warehouses, Sub("branch", "\"release/[0-9]*\""), 400, "subscriptions[0].branch");
        yield return Post("glob: a backslash", Warehouses, Sub("branch", "\"a\\\\*\""), 400, "subscriptions[0].branch");
        yield return Post("glob: a space", Warehouses, Sub("tag", "\"v 1\""), 400, "subscriptions[0].tag");
        yield return Post("glob: a control character", Warehouses, Sub("branch", "\"main\\u0007\""), 400, "subscriptions[0].branch");
        yield return Post("glob: a NUL", Warehouses, Sub("branch", "\"main\\u0000\""), 400, "subscriptions[0].branch");
        yield return Post("glob: 1 000 characters", Warehouses, Sub("tag", $"\"{new string('*', 1_000)}\""), 400, "subscriptions[0].tag");
        yield return Post("glob: empty", Warehouses, Sub("branch", "\"\""), 400, "subscriptions[0].branch");
        yield return Put("regex: does not compile", SmartCommits, "{\"enabled\":true,\"patterns\":[\"([A-Z]+\"]}", 400, "patterns[0]");
        yield return Put("regex: catastrophic backtracking", SmartCommits, "{\"enabled\":true,\"patterns\":[\"((a+)+)$\"]}", 400, "patterns[0]");
        yield return Put("regex: no capture group", SmartCommits, "{\"enabled\":true,\"patterns\":[\"[A-Z]+-\\\\d+\"]}", 400, "patterns[0]");
        yield return Put("regex: a NUL", SmartCommits, "{\"enabled\":true,\"patterns\":[\"([A-Z]+-\\\\d+)\\u0000\"]}", 400, "patterns[0]");
        yield return Put("regex: 100 000 characters", SmartCommits, $"{{\"enabled\":true,\"patterns\":[\"({new string('a', 100_000)})\"]}}", 400, "patterns[0]");
        yield return Put("regex: 1 000 patterns", SmartCommits,
            "{\"enabled\":true,\"patterns\":[" + string.Join(",", Enumerable.Repeat("\"([A-Z]+-\\\\d+)\"", 1_000)) + "]}", 400, "patterns");
    }

    /// <summary>Well-formed JSON that the capability's own rules refuse.</summary>
    private static IEnumerable<ManagementHostileCase> Validation()
    {
        yield return Post("project: an upper-case name with a space", Projects, "{\"name\":\"Acme Corp\"}", 400, "name");
        yield return Post("project: a name with a NUL", Projects, "{\"name\":\"ac\\u0000me\"}", 400, "name");
        yield return Post("project: a name that exists", Projects, "{\"name\":\"{p}\"}", 409, "{p}");
        yield return Post("receiver: a short secret", Receivers, "{\"name\":\"short\",\"secret\":\"tooshort\"}", 400, "16 characters");
        yield return Post("receiver: a 129-character secret", Receivers, $"{{\"name\":\"long\",\"secret\":\"{new string('s', 129)}\"}}", 400, "secret");
        yield return Post("receiver: a javascript: server URL", Receivers, "{\"name\":\"js\",\"serverUrl\":\"javascript:alert(1)\"}", 400, "serverUrl");
        yield return Post("receiver: a server URL with a password", Receivers, "{\"name\":\"pw\",\"serverUrl\":\"https://u:p@bitbucket.example.com\"}", 400, "serverUrl");
        yield return Post("receiver: a path as its name", Receivers, "{\"name\":\"../../tokens\"}", 400, "name");
        yield return Post("receiver: a network that is not one", Receivers, "{\"name\":\"net\",\"allowedNetworks\":[\"10.0.0.0/99\"]}", 400, "allowedNetworks");
        yield return Post("rotate: a short secret", Receiver + "/rotate-secret", "{\"secret\":\"abc\"}", 400, "16 characters");
        yield return Post("rotate: a grace period of forever", Receiver + "/rotate-secret", "{\"gracePeriod\":\"forever\"}", 400, "gracePeriod");
        yield return Put("allowed networks: not a CIDR", Receiver + "/allowed-networks", "{\"allowedNetworks\":[\"everywhere\"]}", 400, "allowedNetworks");
        yield return Patch("receiver edit: a server URL that is not one", Receiver, "{\"serverUrl\":\"ftp://bitbucket\"}", 400, "serverUrl");
        yield return Patch("receiver edit: a 5 000-character description", Receiver, $"{{\"description\":\"{new string('d', 5_000)}\"}}", 400, "description");
        yield return Patch("receiver edit: a NUL in the description", Receiver, "{\"description\":\"a\\u0000b\"}", 400, "description");
        yield return Post("warehouse: a file:// repository", Warehouses, "{\"name\":\"file\",\"subscriptions\":[{\"repoUrl\":\"file:///etc/passwd\"}]}", 400, "subscriptions[0].repoUrl");
        yield return Post("warehouse: no subscriptions", Warehouses, "{\"name\":\"empty\",\"subscriptions\":[]}", 400, "subscriptions");
        yield return Post("warehouse: a null subscription", Warehouses, "{\"name\":\"nulls\",\"subscriptions\":[null]}", 400, "subscriptions[0]");
        yield return Post("warehouse: discovery 'svn'", Warehouses, $"{{\"name\":\"svn\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\",\"discovery\":\"svn\"}}]}}", 400, "subscriptions[0].discovery");
        yield return Post("warehouse: a short notify secret", Warehouses,
            $"{{\"name\":\"notify\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"notify\":{{\"url\":\"https://ci.example.com\",\"secret\":\"short\"}}}}", 400, "16 characters");
        yield return Post("warehouse: a notify secret and clearSecret", Warehouses,
            $"{{\"name\":\"notify\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"notify\":{{\"url\":\"https://ci.example.com\",\"secret\":\"0123456789abcdef\",\"clearSecret\":true}}}}", 400, "notify.clearSecret");
        yield return Post("warehouse: an interval of a thousand years", Warehouses, $"{{\"name\":\"slow\",\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}],\"interval\":\"P1000Y\"}}", 400, "interval");
        yield return Post("warehouse: 101 subscriptions", Warehouses,
            "{\"name\":\"many\",\"subscriptions\":[" + string.Join(",", Enumerable.Repeat($"{{\"repoUrl\":\"{Repo}\"}}", 101)) + "]}", 400, "subscriptions");
        yield return Put("warehouse update: an unknown warehouse", Warehouses + "/no-such-warehouse", $"{{\"subscriptions\":[{{\"repoUrl\":\"{Repo}\"}}]}}", 404, "no-such-warehouse");
        yield return Post("token: type 'root'", "/api/tokens", "{\"name\":\"t\",\"type\":\"root\"}", 400, "type");
        yield return Post("token: a webhook token without a project", "/api/tokens", "{\"name\":\"t\",\"type\":\"webhook\"}", 400, "project");
        yield return Post("token: an expiry in the past", "/api/tokens", "{\"name\":\"t\",\"type\":\"admin\",\"expiresAt\":\"2000-01-01T00:00:00Z\"}", 400, "expiresAt");
        yield return Post("token: a NUL in the description", "/api/tokens", "{\"name\":\"t\",\"type\":\"admin\",\"description\":\"\\u0000\"}", 400, "description");
    }

    private static ManagementHostileCase Get(string name, string path, int status, string? mentions) => new(name, HttpMethod.Get, path, null, status, mentions);

    private static ManagementHostileCase Post(string name, string path, string? body, int status, string? mentions) =>
        new(name, HttpMethod.Post, path, body is null ? null : Encoding.UTF8.GetBytes(body), status, mentions);

    private static ManagementHostileCase Put(string name, string path, string body, int status, string? mentions) =>
        new(name, HttpMethod.Put, path, Encoding.UTF8.GetBytes(body), status, mentions);

    private static ManagementHostileCase Patch(string name, string path, string body, int status, string? mentions) =>
        new(name, HttpMethod.Patch, path, Encoding.UTF8.GetBytes(body), status, mentions);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);
}
