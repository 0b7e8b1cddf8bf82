using System.Net.Http.Headers;
using System.Text;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Receiver.Ingress;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// What one case may aim at: its own fresh receiver (so body-hash dedupe never links two cases), a decoy receiver of
/// another secret, the project's webhook token for the ARM endpoints. <see cref="RequestId"/> tags every row the case
/// leaves.
/// </summary>
public sealed record HostileTarget(
    HostileServer Server,
    string Project,
    string Url,
    string Secret,
    string RequestId,
    string DecoyUrl,
    string DecoySecret,
    string WebhookToken)
{
    /// <summary>The receiver path alone (the last segment of <see cref="Url"/>).</summary>
    public string Path => Url[(Url.LastIndexOf('/') + 1)..];

    /// <summary>A Cloud delivery to this case's receiver, tagged with its request id; signed when a secret is given.</summary>
    public HttpRequestMessage Cloud(byte[] body, string? secret, string eventKey = "repo:push", string? url = null, string? requestId = null) =>
        BitbucketSender.Cloud(url ?? Url, eventKey, body, secret, requestId ?? RequestId);

    /// <summary>A Cloud push carrying <paramref name="signature"/> as its X-Hub-Signature, exactly as given.</summary>
    public HttpRequestMessage WithSignature(byte[] body, string signature)
    {
        var request = Cloud(body, secret: null);
        request.Headers.TryAddWithoutValidation(HubSignature.HeaderName, signature);
        return request;
    }

    /// <summary>Sends through the anonymous client and reads the answer whole.</summary>
    public async Task<RawAnswer> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await Server.Http.SendAsync(request))
        {
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value));
            return new RawAnswer((int)response.StatusCode, headers, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Writes <paramref name="bytes"/> to a bare socket and reads the answer.</summary>
    public Task<RawAnswer> SendRawAsync(params byte[][] bytes) =>
        RawHttp.SendAsync(Server.Address, async (stream, cancellationToken) =>
        {
            foreach (var part in bytes)
            {
                await stream.WriteAsync(part, cancellationToken);
            }
        }, TimeSpan.FromSeconds(60));

    /// <summary>The head of a signed Cloud push over a bare socket, with <paramref name="extra"/> header lines.</summary>
    public byte[] RawHead(string target, byte[] body, params string[] extra) =>
        RawHttp.Head("POST", target,
        [
            "Content-Type: application/json",
            "X-Event-Key: repo:push",
            $"X-Request-UUID: {RequestId}",
            $"{HubSignature.HeaderName}: {HubSignature.Compute(Secret, body)}",
            .. extra,
        ]);

    public static MediaTypeHeaderValue Json => new("application/json");

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
