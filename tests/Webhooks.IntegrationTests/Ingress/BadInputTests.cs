using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Management;
using Webhooks.Receiver.Ingress;

namespace Webhooks.IntegrationTests.Ingress;

/// <summary>
/// Malformed requests, one per row: each gets exactly the status of the ingress contract as problem details, leaves
/// a rejection row and nothing else (no accepted or ignored delivery; no body kept when the signature failed), and
/// the service stays healthy.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class BadInputTests : IngressTestBase
{
    private const int StormLimit = 5;

    public BadInputTests(StorageFixture storage) : base(storage, "badinput")
    {
        // Each test has its own Receiver, so one failed authentication per case never reaches this limit.
        Factory.Settings["Webhooks:Ingress:FailuresPerAddress"] = StormLimit.ToString();
    }

    /// <summary>What a case may use: a receiver with a secret and no serverUrl.</summary>
    public sealed record Target(string Url, string Secret);

    /// <param name="Name">Says what is wrong with the request.</param>
    /// <param name="Status">The answer the ingress contract gives.</param>
    /// <param name="Reason">Part of the problem's detail, when the sender needs to be told something specific.</param>
    /// <param name="BodyKept">Whether the recorded rejection may keep the body (only after a valid signature).</param>
    public sealed record BadRequest(string Name, HttpStatusCode Status, string? Reason, bool BodyKept, Func<Target, HttpRequestMessage> Build);

    private static readonly byte[] Push = BitbucketSender.Fixture("cloud-repo-push-signed.json");

    private static readonly BadRequest[] Cases =
    [
        // Not JSON, or not a JSON object: 400 after a valid signature.
        Signed("body is plain text", "this is not json"u8.ToArray(), HttpStatusCode.BadRequest, "not valid JSON"),
        Signed("body is a JSON array", "[{\"push\":{}}]"u8.ToArray(), HttpStatusCode.BadRequest, "JSON array"),
        Signed("body is a JSON string", "\"repo:push\""u8.ToArray(), HttpStatusCode.BadRequest, "JSON string"),
        Signed("body is a JSON number", "42"u8.ToArray(), HttpStatusCode.BadRequest, "JSON number"),
        Signed("body is JSON null", "null"u8.ToArray(), HttpStatusCode.BadRequest, "JSON null"),
        Signed("body is JSON truncated in the middle", Push[..(Push.Length / 2)], HttpStatusCode.BadRequest, "not valid JSON"),
        Signed("body has trailing garbage after the object", [.. Push, .. " }x"u8.ToArray()], HttpStatusCode.BadRequest, "not valid JSON"),
        Signed("body has a JSON comment", "{/* c */\"push\":{}}"u8.ToArray(), HttpStatusCode.BadRequest, "not valid JSON"),
        Signed("body has a NaN literal", "{\"push\":NaN}"u8.ToArray(), HttpStatusCode.BadRequest, "not valid JSON"),
        Signed("body nests 10 000 arrays", Encoding.ASCII.GetBytes(new string('[', 10_000)), HttpStatusCode.BadRequest, "nests deeper"),
        Signed("body nests 10 000 objects", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000))), HttpStatusCode.BadRequest, "nests deeper"),
        // RFC 8259 leaves duplicate names unpredictable; Bitbucket never sends them, and the repository we act on must
        // be the one every reader of the stored body sees, so an ambiguous body is refused rather than guessed at.
        Signed("body has a duplicate key", CloudPush("acme/api", "\"repository\":{\"full_name\":\"acme/other\"},"), HttpStatusCode.BadRequest, "duplicate"),
        Signed("body is not valid UTF-8", [.. "{\"push\":{\"changes\":[]},\"x\":\""u8.ToArray(), 0xFF, 0xFE, 0xC3, .. "\"}"u8.ToArray()], HttpStatusCode.BadRequest, "UTF-8"),
        Signed("body is empty", [], HttpStatusCode.BadRequest, "empty"),
        Signed("body is only whitespace", "  \r\n "u8.ToArray(), HttpStatusCode.BadRequest, "not valid JSON"),

        // Size limit: before anything else is read or looked up; nothing of the body kept.
        new("body over 1 MiB with Content-Length", HttpStatusCode.RequestEntityTooLarge, "larger than the limit", false,
            target => BitbucketSender.Cloud(target.Url, "repo:push", Padded(1024 * 1024 + 1), target.Secret)),
        new("chunked body over 1 MiB without Content-Length", HttpStatusCode.RequestEntityTooLarge, "larger than the limit", false,
            target => Chunked(target, 1024 * 1024 + 64 * 1024)),

        // Bitbucket only ever sends JSON.
        new("content type text/plain", HttpStatusCode.UnsupportedMediaType, "application/json", false,
            target => WithContentType(BitbucketSender.Cloud(target.Url, "repo:push", Push, target.Secret), "text/plain")),
        new("content type form-urlencoded", HttpStatusCode.UnsupportedMediaType, "application/json", false,
            target => WithContentType(BitbucketSender.Cloud(target.Url, "repo:push", "payload=%7B%7D"u8.ToArray(), target.Secret), "application/x-www-form-urlencoded")),
        new("content type multipart/form-data", HttpStatusCode.UnsupportedMediaType, "application/json", false,
            target => WithContentType(BitbucketSender.Cloud(target.Url, "repo:push", Push, target.Secret), "multipart/form-data; boundary=x")),
        new("content type missing", HttpStatusCode.UnsupportedMediaType, "application/json", false,
            target => WithContentType(BitbucketSender.Cloud(target.Url, "repo:push", Push, target.Secret), null)),

        new("X-Event-Key missing", HttpStatusCode.BadRequest, "X-Event-Key", true,
            target => WithoutHeader(BitbucketSender.Cloud(target.Url, "repo:push", Push, target.Secret), "X-Event-Key")),

        // Signatures: 401, and only a hash and the size of the body are kept.
        new("signature missing", HttpStatusCode.Unauthorized, "missing", false,
            target => BitbucketSender.Cloud(target.Url, "repo:push", Push, secret: null)),
        Signature("signature is sha1", target => "sha1=" + Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(target.Secret), Push)), "sha256"),
        Signature("signature is only the prefix sha256=", _ => "sha256=", "not of the form"),
        Signature("signature hex truncated", target => HubSignature.Compute(target.Secret, Push)[..^1], "not of the form"),
        Signature("signature is not hex", _ => "sha256=" + new string('z', 64), "not of the form"),
        Signature("signature has no algorithm", target => HubSignature.Compute(target.Secret, Push)["sha256=".Length..], "not of the form"),
        Signature("signature of another body", target => HubSignature.Compute(target.Secret, BitbucketSender.Fixture("cloud-repo-push-tag-create.json")), "does not match"),
        Signature("signature with the wrong secret", _ => HubSignature.Compute("not-the-secret", Push), "does not match"),
        Signature("signature with a space inside the hex", target => HubSignature.Compute(target.Secret, Push).Insert(20, " "), "not of the form"),
        Signature("signature followed by another word", target => HubSignature.Compute(target.Secret, Push) + " extra", "not of the form"),
        Signature("signature with spaces around the equals sign", target => HubSignature.Compute(target.Secret, Push).Replace("=", " = "), "sha256"),
        new("two signature headers, the valid one first", HttpStatusCode.Unauthorized, "only once", false,
            target => WithSignatures(target, HubSignature.Compute(target.Secret, Push), HubSignature.Compute("wrong", Push))),
        new("two signature headers, the valid one last", HttpStatusCode.Unauthorized, "only once", false,
            target => WithSignatures(target, HubSignature.Compute("wrong", Push), HubSignature.Compute(target.Secret, Push))),

        // Unknown receivers: 404 with nothing that tells what exists.
        new("receiver path unknown", HttpStatusCode.NotFound, null, false,
            _ => BitbucketSender.Cloud("/webhooks/bitbucket/" + new string('A', 43), "repo:push", Push, "whatever")),
        new("receiver path traverses with encoded slashes", HttpStatusCode.NotFound, null, false,
            _ => BitbucketSender.Cloud("/webhooks/bitbucket/..%2F..%2Fapi%2Fprojects", "repo:push", Push, "whatever")),
        new("receiver path of 4000 characters", HttpStatusCode.NotFound, null, false,
            _ => BitbucketSender.Cloud("/webhooks/bitbucket/" + new string('x', 4000), "repo:push", Push, "whatever")),
        new("receiver path non-ASCII", HttpStatusCode.NotFound, null, false,
            _ => BitbucketSender.Cloud("/webhooks/bitbucket/%C3%A9t%C3%A9-%E2%9C%93-%F0%9F%98%80", "repo:push", Push, "whatever")),
        new("receiver path with a control character", HttpStatusCode.NotFound, null, false,
            target => BitbucketSender.Cloud(target.Url + "%07", "repo:push", Push, "whatever")),
        new("receiver path with invalid percent-encoded UTF-8", HttpStatusCode.NotFound, null, false,
            _ => BitbucketSender.Cloud("/webhooks/bitbucket/%FF%FE", "repo:push", Push, "whatever")),

        // Valid JSON objects that lack what the event needs.
        Signed("repo:push whose push.changes is an object", CloudPush("acme/api", "", "{\"new\":{}}"), HttpStatusCode.BadRequest, "push.changes"),
        Signed("repo:push whose push.changes holds a number", CloudPush("acme/api", "", "[1]"), HttpStatusCode.BadRequest, "push.changes[0]"),
        Signed("repo:push without a repository", "{\"push\":{\"changes\":[]}}"u8.ToArray(), HttpStatusCode.BadRequest, "no repository"),
        Signed("repo:push naming a repository with a NUL character", CloudPush("acme\\u0000/api\\u0000", ""), HttpStatusCode.BadRequest, "repository"),
        Signed("repo:push naming a repository of 5000 characters", CloudPush(new string('a', 5000), ""), HttpStatusCode.BadRequest, "repository"),
        Signed("pullrequest:created without a pullrequest", "{\"repository\":{\"full_name\":\"acme/api\"}}"u8.ToArray(), HttpStatusCode.BadRequest, "no pullrequest", "pullrequest:created"),
        DataCenter("repo:refs_changed without changes",
            "{\"repository\":{\"slug\":\"api\",\"project\":{\"key\":\"PROJ\"},\"links\":{\"self\":[{\"href\":\"https://git.example.com/projects/PROJ/repos/api/browse\"}]}}}",
            "no changes array"),
        DataCenter("repo:refs_changed without repository links, receiver without serverUrl",
            "{\"repository\":{\"slug\":\"api\",\"project\":{\"key\":\"PROJ\"}},\"changes\":[{\"ref\":{\"id\":\"refs/heads/main\",\"type\":\"BRANCH\"},\"fromHash\":\"" +
            new string('1', 40) + "\",\"toHash\":\"" + new string('2', 40) + "\",\"type\":\"UPDATE\"}]}",
            "set the receiver's serverUrl"),
    ];

    public static TheoryData<string> CaseNames() => [.. Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task MalformedRequestGetsItsStatusAndStoresNothingUnintended(string name)
    {
        var @case = Cases.Single(c => c.Name == name);
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "bad", "input");
        using var request = @case.Build(new Target(url, secret));

        using var response = await Client.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, @case.Status);
        var detail = problem.GetProperty("detail").GetString() ?? "";
        if (@case.Reason is not null)
        {
            Assert.Contains(@case.Reason, detail, StringComparison.OrdinalIgnoreCase);
        }

        var id = problem.GetProperty("deliveryId").GetGuid();
        var rows = await DeliveriesWhenAsync(rows => rows.Any(d => d.Id == id), $"the rejection row of '{name}'");
        Assert.All(rows, row => Assert.Equal(DeliveryOutcome.Rejected, row.Outcome));
        var row = Assert.Single(rows);
        Assert.Equal((int)@case.Status, row.StatusCode);
        Assert.Null(await StateAsync(row.Id));
        Assert.Null(row.DedupeKey);
        if (!@case.BodyKept)
        {
            Assert.Null(row.CompressedBody);
        }

        if (@case.Status == HttpStatusCode.Unauthorized)
        {
            // Every signature case sends the same push: what is kept of it is its hash and size.
            Assert.Equal(SHA256.HashData(Push), row.BodySha256);
            Assert.Equal(Push.Length, row.BodySize);
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task UnknownReceiverAnswersLikeAFailedSignatureAndGivesNothingAway()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(Admin, "bad", "shape");
        var unknownPath = "/webhooks/bitbucket/" + new string('B', 43);

        var unauthorized = await ProblemAssert.IsProblemAsync(
            await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, "wrong")), HttpStatusCode.Unauthorized);
        var notFound = await ProblemAssert.IsProblemAsync(
            await Client.SendAsync(BitbucketSender.Cloud(unknownPath, "repo:push", Push, "wrong")), HttpStatusCode.NotFound);

        Assert.Equal(
            unauthorized.EnumerateObject().Select(p => p.Name).Order(),
            notFound.EnumerateObject().Select(p => p.Name).Order());
        var text = notFound.GetRawText();
        Assert.DoesNotContain(new string('B', 43), text);
        Assert.DoesNotContain("project", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task StormOfFailedAuthenticationsFromOneAddressIsAnswered429AndRecorded()
    {
        var (url, _) = await BitbucketSender.CreateReceiverAsync(Admin, "bad", "storm");
        for (var i = 0; i < StormLimit; i++)
        {
            var failure = i % 2 == 0
                ? BitbucketSender.Cloud(url, "repo:push", Push, "wrong-secret")
                : BitbucketSender.Cloud("/webhooks/bitbucket/" + new string('C', 43), "repo:push", Push, "wrong-secret");
            var status = (await Client.SendAsync(failure)).StatusCode;
            Assert.True(status is HttpStatusCode.Unauthorized or HttpStatusCode.NotFound, $"attempt {i}: {status}");
        }

        using var blocked = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, "wrong-secret"));

        var problem = await ProblemAssert.IsProblemAsync(blocked, HttpStatusCode.TooManyRequests);
        var id = problem.GetProperty("deliveryId").GetGuid();
        var rows = await DeliveriesWhenAsync(rows => rows.Any(d => d.Id == id), "the 429 row");
        var row = Assert.Single(rows, d => d.Id == id);
        Assert.Equal(DeliveryOutcome.Rejected, row.Outcome);
        Assert.Equal(429, row.StatusCode);
        Assert.Null(row.CompressedBody);
        Assert.Equal(StormLimit + 1, (await DeliveriesWhenAsync(all => all.Count == StormLimit + 1, "every rejection row")).Count);
        Assert.DoesNotContain(rows, d => d.Outcome != DeliveryOutcome.Rejected);
    }

    private static BadRequest Signed(string name, byte[] body, HttpStatusCode status, string reason, string eventKey = "repo:push") =>
        new(name, status, reason, true, target => BitbucketSender.Cloud(target.Url, eventKey, body, target.Secret));

    private static BadRequest DataCenter(string name, string body, string reason) =>
        new(name, HttpStatusCode.BadRequest, reason, true,
            target => BitbucketSender.DataCenter(target.Url, "repo:refs_changed", Encoding.UTF8.GetBytes(body), target.Secret));

    private static BadRequest Signature(string name, Func<Target, string> header, string reason) =>
        new(name, HttpStatusCode.Unauthorized, reason, false, target =>
        {
            var request = BitbucketSender.Cloud(target.Url, "repo:push", Push, secret: null);
            request.Headers.TryAddWithoutValidation(HubSignature.HeaderName, header(target));
            return request;
        });

    /// <summary>A Cloud push body; <paramref name="extra"/> is spliced in before the push object.</summary>
    private static byte[] CloudPush(string fullName, string extra, string changes = "[]") => Encoding.UTF8.GetBytes(
        $"{{\"repository\":{{\"full_name\":\"{fullName}\"}},{extra}\"push\":{{\"changes\":{changes}}}}}");

    private static byte[] Padded(int size)
    {
        var body = new byte[size];
        body.AsSpan().Fill((byte)' ');
        body[0] = (byte)'{';
        body[^1] = (byte)'}';
        return body;
    }

    private static HttpRequestMessage WithContentType(HttpRequestMessage request, string? contentType)
    {
        request.Content!.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    private static HttpRequestMessage WithoutHeader(HttpRequestMessage request, string header)
    {
        request.Headers.Remove(header);
        return request;
    }

    private static HttpRequestMessage WithSignatures(Target target, params string[] signatures)
    {
        var request = BitbucketSender.Cloud(target.Url, "repo:push", Push, secret: null);
        request.Headers.TryAddWithoutValidation(HubSignature.HeaderName, signatures);
        return request;
    }

    private static HttpRequestMessage Chunked(Target target, int size)
    {
        var body = Padded(size);
        var request = BitbucketSender.Cloud(target.Url, "repo:push", body, target.Secret);
        request.Content = new UnknownLengthContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    /// <summary>Sends its bytes without a Content-Length, as a chunked body does.</summary>
    private sealed class UnknownLengthContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(16 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
