using System.Net.Http.Json;
using System.Text;
using Webhooks.Grains.Deliveries;

namespace Webhooks.IntegrationTests.Hostile;

public static partial class HostileCorpus
{
    private static IEnumerable<HostileCase> Paths()
    {
        // Climbing out of the ingress prefix: Kestrel removes dot segments, so the request lands on the management
        // API, which wants an admin token.
        yield return NotIngress("literal ../ segments climbing into the management API", 401,
            t => t.SendRawAsync(t.RawHead("/webhooks/bitbucket/../../api/projects", Push, $"Content-Length: {Push.Length}"), Push));
        yield return NotIngress("percent-encoded dot segments climbing into the management API", 401,
            t => t.SendRawAsync(t.RawHead("/webhooks/bitbucket/%2e%2e/%2E%2E/api/projects", Push, $"Content-Length: {Push.Length}"), Push));
        yield return Refused("a double-encoded slash", 404, null, t => t.Cloud(Push, t.Secret, url: "/webhooks/bitbucket/..%252F..%252Fapi%252Fprojects"));
        yield return NotIngress("the receiver path with one more segment", 404, t => t.SendAsync(t.Cloud(Push, t.Secret, url: t.Url + "/extra")));
        yield return Refused("the receiver path with its letters' case swapped", 404, null, t => t.Cloud(Push, t.Secret, url: "/webhooks/bitbucket/" + SwapCase(t.Path)));
        yield return Refused("the receiver path with a ;jsessionid parameter", 404, null, t => t.Cloud(Push, t.Secret, url: t.Url + ";jsessionid=1"));
        yield return Refused("the receiver path with a Cyrillic look-alike", 404, null, t => t.Cloud(Push, t.Secret, url: "/webhooks/bitbucket/%D0%90" + t.Path[1..]));
        yield return ByKestrel("the receiver path with an encoded NUL character", 400, t => t.SendAsync(t.Cloud(Push, t.Secret, url: t.Url + "%00")));
        yield return Refused("the receiver path of one space", 404, null, t => t.Cloud(Push, t.Secret, url: "/webhooks/bitbucket/%20"));
        // The same path, spelled differently: the same receiver.
        yield return Accepted("the receiver path percent-encoded byte by byte", t => t.Cloud(Push, t.Secret,
            url: "/webhooks/bitbucket/" + string.Concat(Encoding.ASCII.GetBytes(t.Path).Select(b => $"%{b:X2}"))));
        yield return Accepted("the receiver path with a trailing slash", t => t.Cloud(Push, t.Secret, url: t.Url + "/"));

        // Request-line limit (Webhooks:Server:MaxRequestLineSize, 8 KiB): 414 from Kestrel.
        yield return ByKestrel("a receiver path of 10 000 characters", 414, t => t.SendAsync(t.Cloud(Push, t.Secret, url: "/webhooks/bitbucket/" + new string('x', 10_000))));
        yield return ByKestrel("a query string of 9 000 characters", 414, t => t.SendAsync(t.Cloud(Push, t.Secret, url: t.Url + "?q=" + new string('q', 9000))));
        yield return RefusedRaw("a fragment in the request target", 404, null,
            t => t.SendRawAsync(t.RawHead(t.Url + "#fragment", Push, $"Content-Length: {Push.Length}"), Push));

        // Other methods on a receiver: 405, nothing recorded.
        foreach (var method in new[] { "GET", "PUT", "DELETE", "PATCH" })
        {
            yield return NotIngress($"{method} on a receiver", 405, t => t.SendAsync(new HttpRequestMessage(new HttpMethod(method), t.Url)));
        }
    }

    private static IEnumerable<HostileCase> OtherEndpoints()
    {
        string Arm(HostileTarget t, string query = "") => $"/api/webhook/v2/{t.Project}/trigger-scm-push-request{query}";

        yield return Refused("ARM: ?token= given twice", 401, "No webhook token",
            t => t.Cloud(Push, secret: null, url: Arm(t, $"?token={t.WebhookToken}&token={t.WebhookToken}")));
        yield return Refused("ARM: the admin token as ?token=", 401, "not a valid webhook token",
            t => t.Cloud(Push, secret: null, url: Arm(t, $"?token={t.Server.Factory.AdminToken}")));
        yield return Refused("ARM: a receiver secret as ?token=", 401, "not a valid webhook token",
            t => t.Cloud(Push, secret: null, url: Arm(t, $"?token={Uri.EscapeDataString(t.Secret)}")));
        yield return Refused("ARM: a project that does not exist", 404, null,
            t => t.Cloud(Push, secret: null, url: $"/api/webhook/v2/no-such-project/sync-alm-commits?token={t.WebhookToken}"));
        yield return Refused("ARM: signed with the webhook token as sha1", 401, "sha256", t =>
        {
            var request = t.Cloud(Push, secret: null, url: Arm(t));
            request.Headers.TryAddWithoutValidation("X-Hub-Signature", "sha1=" + Convert.ToHexStringLower(
                System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes(t.WebhookToken), Push)));
            return request;
        });
        yield return new HostileCase("ARM: a valid token and a body nested 100 deep", 400, [DeliveryOutcome.Rejected], "nests deeper",
            t => t.SendAsync(t.Cloud(Beside(Nested(100)), secret: null, url: Arm(t, $"?token={t.WebhookToken}")))) { BodyKept = true };
        yield return new HostileCase("ARM enterprise: a valid bearer token and a duplicate key", 400, [DeliveryOutcome.Rejected], "duplicate", t =>
        {
            var body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Push).TrimEnd()[..^1] + ",\"actor\":{}}");
            var request = t.Cloud(body, secret: null, url: $"/api/webhook/v2/{t.Project}/enterprise/sync-alm-commits");
            request.Headers.Authorization = new("Bearer", t.WebhookToken);
            return t.SendAsync(request);
        }) { BodyKept = true };

        // The management API: JSON depth and credentials.
        yield return NotIngress("management: a project body nested 200 deep", 400, t => t.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/projects")
            {
                Content = new StringContent("{\"name\":" + Nested(200) + "}", Encoding.UTF8, "application/json"),
                Headers = { Authorization = new("Bearer", t.Server.Factory.AdminToken) },
            }));
        yield return NotIngress("management: the admin token as ?token=", 401,
            t => t.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/projects?token={t.Server.Factory.AdminToken}")));
        yield return NotIngress("management: a receiver secret as the bearer token", 401, t => t.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, "/api/projects") { Headers = { Authorization = new("Bearer", t.Secret) } }));
        yield return NotIngress("management: a webhook token as the bearer token", 403, t => t.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/api/projects")
            {
                Content = JsonContent.Create(new { name = "pwned" }),
                Headers = { Authorization = new("Bearer", t.WebhookToken) },
            }));
    }

    private static string SwapCase(string text) =>
        string.Concat(text.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)));
}
