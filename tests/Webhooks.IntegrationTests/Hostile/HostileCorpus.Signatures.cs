using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Webhooks.Grains.Deliveries;
using Webhooks.Receiver.Ingress;

namespace Webhooks.IntegrationTests.Hostile;

public static partial class HostileCorpus
{
    private static IEnumerable<HostileCase> Signatures()
    {
        static string Hmac(HashAlgorithmName algorithm, string key, byte[] body) => Convert.ToHexStringLower(algorithm.Name switch
        {
            "SHA512" => HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), body),
            "MD5" => HMACMD5.HashData(Encoding.UTF8.GetBytes(key), body),
            _ => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body),
        });

        // Other algorithms: Bitbucket signs with SHA-256 only, so nothing else is even tried.
        yield return Forged("sha512 HMAC", "sha256", t => "sha512=" + Hmac(HashAlgorithmName.SHA512, t.Secret, Push));
        yield return Forged("md5 HMAC", "sha256", t => "md5=" + Hmac(HashAlgorithmName.MD5, t.Secret, Push));
        yield return Forged("sha1 with the prefix in upper case", "sha256", t => "SHA1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(t.Secret), Push)));
        yield return Forged("the right HMAC under another name (hmac-sha256=)", "sha256", t => "hmac-sha256=" + Hmac(HashAlgorithmName.SHA256, t.Secret, Push));

        // The right MAC, spelled differently: the same 32 bytes, so accepted.
        yield return Accepted("the right HMAC in upper-case hex", t => t.WithSignature(Push, "sha256=" + Hmac(HashAlgorithmName.SHA256, t.Secret, Push).ToUpperInvariant()));
        yield return Accepted("the right HMAC with the prefix in upper case", t => t.WithSignature(Push, "SHA256=" + Hmac(HashAlgorithmName.SHA256, t.Secret, Push)));
        yield return Accepted("the right HMAC followed by spaces", t => t.WithSignature(Push, HubSignature.Compute(t.Secret, Push) + "   "));

        // Malformed values.
        yield return Forged("a tab inside the hex", "not of the form", t => HubSignature.Compute(t.Secret, Push).Insert(30, "\t"));
        yield return Forged("65 hex digits", "not of the form", t => HubSignature.Compute(t.Secret, Push) + "0");
        yield return Forged("128 hex digits under sha256=", "not of the form", t => "sha256=" + Hmac(HashAlgorithmName.SHA512, t.Secret, Push));
        yield return Forged("the HMAC in base64", "not of the form", t => "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(t.Secret), Push)));
        yield return Forged("the secret itself as the signature", "not of the form", t => "sha256=" + t.Secret);
        yield return Forged("a signature of 8 000 characters", "not of the form", _ => "sha256=" + new string('a', 8000));
        yield return Forged("an empty signature header", "missing", _ => "");

        // Forged: well-formed, wrong.
        yield return Forged("the HMAC of an empty body", "does not match", t => HubSignature.Compute(t.Secret, []));
        yield return Forged("the HMAC of the first half of the body", "does not match", t => HubSignature.Compute(t.Secret, Push[..(Push.Length / 2)]));
        yield return Forged("the HMAC keyed with the secret in upper case", "does not match", t => HubSignature.Compute(t.Secret.ToUpperInvariant(), Push));
        yield return Forged("the HMAC keyed with the secret and a newline", "does not match", t => HubSignature.Compute(t.Secret + "\n", Push));
        yield return Forged("the HMAC keyed with the SHA-256 of the secret", "does not match",
            t => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(SHA256.HashData(Encoding.UTF8.GetBytes(t.Secret)), Push)));
        yield return Forged("a plain SHA-256 of the body", "does not match", _ => "sha256=" + Convert.ToHexStringLower(SHA256.HashData(Push)));
        yield return Forged("the HMAC of the body re-serialised", "does not match",
            t => HubSignature.Compute(t.Secret, JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(Push).RootElement, new JsonSerializerOptions { WriteIndented = true })));
        yield return Forged("the HMAC made with another receiver's secret", "does not match", t => HubSignature.Compute(t.DecoySecret, Push));
        yield return Refused("the whole body's HMAC on the first half of the body", 401, "does not match",
            t => t.WithSignature(Push[..(Push.Length / 2)], HubSignature.Compute(t.Secret, Push)));
        // Three header lines (HttpClient would join them into one line, which is merely malformed).
        yield return RefusedRaw("the signature header on three lines, all valid", 401, "only once", t => t.SendRawAsync(
            RawHttp.Head("POST", t.Url,
            [
                "Content-Type: application/json", "X-Event-Key: repo:push", $"X-Request-UUID: {t.RequestId}", $"Content-Length: {Push.Length}",
                .. Enumerable.Repeat($"{HubSignature.HeaderName}: {HubSignature.Compute(t.Secret, Push)}", 3),
            ]),
            Push));

        // The secret where a signature belongs: a receiver only takes signatures.
        yield return Refused("the secret as a bearer token instead of a signature", 401, "missing", t =>
        {
            var request = t.Cloud(Push, secret: null);
            request.Headers.Authorization = new("Bearer", t.Secret);
            return request;
        });
        yield return Refused("the secret as ?token= instead of a signature", 401, "missing",
            t => t.Cloud(Push, secret: null, url: $"{t.Url}?token={Uri.EscapeDataString(t.Secret)}"));

        // Replays: a signature proves the body, not the moment; the delivery id and the body hash catch repeats.
        yield return new HostileCase("a delivery replayed whole", 200, [DeliveryOutcome.Accepted, DeliveryOutcome.Duplicate], null, async t =>
        {
            await Expect202(t, t.Cloud(Push, t.Secret, requestId: t.RequestId + "-original"));
            return await t.SendAsync(t.Cloud(Push, t.Secret, requestId: t.RequestId + "-original"));
        }) { BodyKept = true };
        yield return new HostileCase("a delivery replayed under a new request id", 200, [DeliveryOutcome.Accepted, DeliveryOutcome.Duplicate], null, async t =>
        {
            await Expect202(t, t.Cloud(Push, t.Secret, requestId: t.RequestId + "-original"));
            return await t.SendAsync(t.Cloud(Push, t.Secret, requestId: t.RequestId + "-replay"));
        }) { BodyKept = true };
        yield return new HostileCase("a delivery's signature replayed on another body", 401, [DeliveryOutcome.Accepted, DeliveryOutcome.Rejected], "does not match", async t =>
        {
            await Expect202(t, t.Cloud(Push, t.Secret, requestId: t.RequestId + "-original"));
            var other = Fixture("cloud-repo-push-tag-create.json");
            return await t.SendAsync(t.WithSignature(other, HubSignature.Compute(t.Secret, Push)));
        });
        yield return new HostileCase("a delivery replayed to another receiver", 401, [DeliveryOutcome.Accepted, DeliveryOutcome.Rejected], "does not match", async t =>
        {
            await Expect202(t, t.Cloud(Push, t.Secret, requestId: t.RequestId + "-original"));
            return await t.SendAsync(t.Cloud(Push, t.Secret, url: t.DecoyUrl));
        });
    }

    private static byte[] Fixture(string name) => Infrastructure.BitbucketSender.Fixture(name);

    private static async Task Expect202(HostileTarget target, HttpRequestMessage request)
    {
        var answer = await target.SendAsync(request);
        Assert.True(answer.Status == 202, $"the original delivery: {answer.Status} {answer.Body}");
    }
}
