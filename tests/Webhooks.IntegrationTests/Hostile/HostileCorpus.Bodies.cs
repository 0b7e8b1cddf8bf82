using System.Text;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Refresh;

namespace Webhooks.IntegrationTests.Hostile;

public static partial class HostileCorpus
{
    /// <summary>The default <c>Webhooks:Ingress:MaxBodyBytes</c>.</summary>
    private const int Limit = 1024 * 1024;

    private static IEnumerable<HostileCase> Bodies()
    {
        // Gigantic, yet within the limit: accepted.
        yield return Accepted("a push padded to exactly the 1 MiB limit", t => t.Cloud(PaddedPush(Limit), t.Secret));
        yield return Accepted("a push whose commit message is 900 KB", t => t.Cloud(
            CloudPush.Body("acme/big", CloudPush.Branch("main", CloudPush.Hash("big"), new string('m', 900_000))), t.Secret));
        yield return Accepted("a push beside an object of 60 000 members", t => t.Cloud(Beside(
            "{" + string.Join(",", Enumerable.Range(0, 60_000).Select(i => $"\"k{i}\":{i}")) + "}"), t.Secret));
        yield return Accepted("a push beside an array of 200 000 numbers", t => t.Cloud(Beside(
            "[" + string.Join(",", Enumerable.Repeat("1", 200_000)) + "]"), t.Secret));

        // Over the limit: 413 without reading it all, nothing kept.
        yield return Refused("a 50 MiB chunked body", 413, "larger than the limit", t =>
        {
            var request = t.Cloud([], t.Secret);
            request.Content = new StreamedContent(50 * 1024 * 1024);
            request.Content.Headers.ContentType = HostileTarget.Json;
            return request;
        });
        yield return new HostileCase("Content-Length of 10 GB, no body sent", 413, [DeliveryOutcome.Rejected], "larger than the limit",
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "Content-Length: 10000000000")));

        // Depth: the parser's MaxDepth is 64, the root object included.
        yield return Accepted("a push with a value nested 64 deep", t => t.Cloud(Beside(Nested(63)), t.Secret));
        yield return RefusedSigned("a push with a value nested 65 deep", 400, "nests deeper", Beside(Nested(64)));
        yield return RefusedSigned("a body of 500 000 open brackets", 400, "nests deeper", Encoding.ASCII.GetBytes(new string('[', 500_000)));

        // Ambiguous JSON: refused rather than guessed at.
        yield return RefusedSigned("a duplicate key inside a change", 400, "duplicate", CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("dup"))) is var body
            ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"forced\":false", "\"forced\":false,\"forced\":true"))
            : []);
        yield return RefusedSigned("the push object twice", 400, "duplicate", Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Push).TrimEnd()[..^1] + ",\"push\":{\"changes\":[]}}"));

        // Bytes that are not UTF-8.
        yield return RefusedSigned("an overlong UTF-8 encoding of '/'", 400, "UTF-8", Spliced([0xC0, 0xAF]));
        yield return RefusedSigned("a UTF-8-encoded surrogate half", 400, "UTF-8", Spliced([0xED, 0xA0, 0x80]));
        yield return RefusedSigned("a UTF-8 sequence cut short", 400, "UTF-8", Spliced([0xE2, 0x82]));
        yield return RefusedSigned("a code point above U+10FFFF", 400, "UTF-8", Spliced([0xF4, 0x90, 0x80, 0x80]));

        // Valid JSON text that is hard to store.
        yield return RefusedSigned("an escaped lone surrogate in the repository name", 400, "unexpected shape",
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(CloudPush.Body("acme/surrogate", CloudPush.Branch("main", CloudPush.Hash("surrogate"))))
                .Replace("acme/surrogate", "acme/api\\ud800")));
        yield return Accepted("NUL characters escaped in a commit message", t => t.Cloud(
            CloudPush.Body("acme/nul", CloudPush.Branch("main", CloudPush.Hash("nul"), "fix\u0000\u0000 ABC-1")), t.Secret));
        // RFC 8259 forbids senders a byte order mark and lets readers refuse one; Bitbucket never sends it.
        yield return RefusedSigned("a byte order mark before the object", 400, "not valid JSON", [0xEF, 0xBB, 0xBF, .. Push]);

        // Script and SQL travel as data: accepted, stored verbatim (see ScriptAndSqlAreStoredVerbatim…).
        yield return Accepted("a branch named '; DROP TABLE deliveries; --", t => t.Cloud(
            CloudPush.Body("acme/api", CloudPush.Branch("'; DROP TABLE deliveries; --", CloudPush.Hash("sql"))), t.Secret));
        yield return Accepted("a commit message of <script>alert(1)</script>", t => t.Cloud(
            CloudPush.Body("acme/api", CloudPush.Branch("main", CloudPush.Hash("xss"), "<script>alert(1)</script>")), t.Secret));
        yield return RefusedSigned("a repository name of SQL", 400, "repository",
            CloudPush.Body("acme/api'; DROP TABLE deliveries; --", CloudPush.Branch("main", CloudPush.Hash("sqlrepo"))));
    }

    /// <summary>The real push with <paramref name="json"/> added as one more member.</summary>
    private static byte[] Beside(string json) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Push).TrimEnd()[..^1] + ",\"extra\":" + json + "}");

    /// <summary><paramref name="depth"/> nested arrays around a number: depth + 1 levels below the member holding it.</summary>
    private static string Nested(int depth) => new string('[', depth) + "1" + new string(']', depth);

    /// <summary>The real push with <paramref name="bytes"/> inside a string value.</summary>
    private static byte[] Spliced(byte[] bytes) =>
        [.. Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Push).TrimEnd()[..^1] + ",\"extra\":\"x"), .. bytes, .. "\"}"u8.ToArray()];

    /// <summary>The real push followed by spaces up to <paramref name="size"/> bytes (whitespace is valid JSON).</summary>
    private static byte[] PaddedPush(int size)
    {
        var body = new byte[size];
        body.AsSpan().Fill((byte)' ');
        Push.CopyTo(body, 0);
        return body;
    }

    /// <summary>A body of <paramref name="size"/> bytes written in 64 KB pieces without a Content-Length (chunked).</summary>
    private sealed class StreamedContent(int size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var piece = new byte[64 * 1024];
            piece.AsSpan().Fill((byte)' ');
            piece[0] = (byte)'{';
            for (var written = 0; written < size; written += piece.Length)
            {
                await stream.WriteAsync(piece);
                piece[0] = (byte)' ';
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
