namespace Webhooks.Benchmarks.Load;

/// <summary>One delivery as Bitbucket sends it: the exact body bytes, its signature and the headers of its flavour.</summary>
/// <param name="Repository">Index of the pushed repository (the accounting's key).</param>
public sealed record SignedPush(Uri Url, byte[] Body, string Signature, bool Cloud, string DeliveryId, int Repository, string Head)
{
    /// <param name="attempt">Cloud's <c>X-Attempt-Number</c>: 1, then one more for each resend of the same delivery.</param>
    public HttpRequestMessage ToRequest(int attempt = 1)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", Cloud ? "application/json" : "application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature", Signature);
        if (Cloud)
        {
            request.Headers.TryAddWithoutValidation("X-Event-Key", "repo:push");
            request.Headers.TryAddWithoutValidation("X-Hook-UUID", "{5f1d3c4e-0000-4000-8000-00000000b0b0}");
            request.Headers.TryAddWithoutValidation("X-Request-UUID", DeliveryId);
            request.Headers.TryAddWithoutValidation("X-Attempt-Number", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("User-Agent", "Bitbucket-Webhooks/2.0");
        }
        else
        {
            request.Headers.TryAddWithoutValidation("X-Event-Key", "repo:refs_changed");
            request.Headers.TryAddWithoutValidation("X-Request-Id", DeliveryId);
            request.Headers.TryAddWithoutValidation("User-Agent", "Atlassian HttpClient 3.0.0 / Bitbucket-8.9.0");
        }

        return request;
    }
}
