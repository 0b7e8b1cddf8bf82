using System.Text;
using Webhooks.Grains.Deliveries;

namespace Webhooks.IntegrationTests.Hostile;

public static partial class HostileCorpus
{
    private static IEnumerable<HostileCase> Headers()
    {
        static HttpRequestMessage WithHeaders(HostileTarget t, int count, int valueLength)
        {
            var request = t.Cloud(Push, t.Secret);
            for (var i = 0; i < count; i++)
            {
                request.Headers.TryAddWithoutValidation($"X-Padding-{i}", new string('p', valueLength));
            }

            return request;
        }

        // Floods: Kestrel's header limits (Webhooks:Server) answer 431 before any of our code runs.
        yield return ByKestrel("150 header fields", 431, t => t.SendAsync(WithHeaders(t, 150, 10)));
        yield return ByKestrel("one header of 40 KiB", 431, t => t.SendAsync(WithHeaders(t, 1, 40 * 1024)));
        yield return ByKestrel("300 headers of 200 bytes (60 KB in all)", 431, t => t.SendAsync(WithHeaders(t, 300, 200)));
        // Under the limits: accepted, and the history keeps a bounded copy.
        yield return Accepted("80 header fields", t => WithHeaders(t, 80, 10));
        yield return Accepted("one header of 16 KiB", t => WithHeaders(t, 1, 16 * 1024));

        // Bitbucket's own headers, bent.
        yield return new HostileCase("an event key of 10 000 characters", 202, [DeliveryOutcome.Ignored], null,
            t => t.SendAsync(t.Cloud(Push, t.Secret, eventKey: new string('e', 10_000)))) { BodyKept = true };
        yield return new HostileCase("an event key of script", 202, [DeliveryOutcome.Ignored], null,
            t => t.SendAsync(t.Cloud(Push, t.Secret, eventKey: "<script>alert(1)</script>"))) { BodyKept = true };
        yield return Accepted("a request id of 10 000 characters", t => t.Cloud(Push, t.Secret, requestId: t.RequestId + new string('r', 10_000)));
        yield return Accepted("an attempt number beyond any integer", t =>
        {
            var request = t.Cloud(Push, t.Secret);
            request.Headers.Remove("X-Attempt-Number");
            request.Headers.TryAddWithoutValidation("X-Attempt-Number", "99999999999999999999");
            return request;
        });
        yield return ByKestrel("a NUL byte in the event key", 400,
            t => t.SendRawAsync(RawHttp.Head("POST", t.Url, "Content-Type: application/json", "X-Event-Key: repo:\0push",
                $"X-Request-UUID: {t.RequestId}", $"Content-Length: {Push.Length}"), Push));
        yield return ByKestrel("a header folded over two lines", 400,
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "X-Folded: first", " continued", $"Content-Length: {Push.Length}"), Push));
        yield return ByKestrel("a space between a header name and its colon", 400,
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "X-Spaced : value", $"Content-Length: {Push.Length}"), Push));

        // Media types: JSON or +json only.
        yield return Refused("content type text/json", 415, "application/json", t => WithType(t.Cloud(Push, t.Secret), "text/json"));
        yield return Refused("content type application/jsonp", 415, "application/json", t => WithType(t.Cloud(Push, t.Secret), "application/jsonp"));
        yield return Refused("content type application/json-seq", 415, "application/json", t => WithType(t.Cloud(Push, t.Secret), "application/json-seq"));
        yield return Accepted("content type application/vnd.bitbucket+json", t => WithType(t.Cloud(Push, t.Secret), "application/vnd.bitbucket+json"));
        yield return new HostileCase("a UTF-16 body labelled charset=utf-16", 400, [DeliveryOutcome.Rejected], "not valid JSON", t =>
        {
            var body = Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(Push));
            return t.SendAsync(WithType(t.Cloud(body, t.Secret), "application/json; charset=utf-16"));
        }) { BodyKept = true };
        // No request decompression: a gzip body is bytes that are not JSON (a zip bomb expands nowhere).
        yield return new HostileCase("a gzip body with Content-Encoding: gzip", 400, [DeliveryOutcome.Rejected], "UTF-8", t =>
        {
            var compressed = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(new byte[10 * 1024 * 1024]);
            }

            var request = t.Cloud(compressed.ToArray(), t.Secret);
            request.Content!.Headers.ContentEncoding.Add("gzip");
            return t.SendAsync(request);
        }) { BodyKept = true };
    }

    private static HttpRequestMessage WithType(HttpRequestMessage request, string contentType)
    {
        request.Content!.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return request;
    }
}
