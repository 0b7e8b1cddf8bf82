using System.IO.Compression;
using Webhooks.Grains.Events;
using Webhooks.Receiver.Ingress.Parsing;

namespace Webhooks.Receiver.Routing;

/// <summary>
/// A recorded delivery's event, parsed again from the Brotli-compressed body ingress stored: how the sweeper finishes a
/// delivery left accepted and how a redelivery replays one. Parsing is the same as at ingress (the receiver's server
/// URL stands in for the repository links old Data Center payloads lack).
/// </summary>
internal static class StoredEvent
{
    /// <summary>The event, or why there is none (no body kept, no event key, a body that no longer parses).</summary>
    public static BitbucketParseResult Parse(byte[]? compressedBody, string? eventKey, string source, string? serverUrl)
    {
        if (compressedBody is null)
        {
            return BitbucketParseResult.Failure("No body was kept for this delivery.");
        }

        if (string.IsNullOrEmpty(eventKey))
        {
            return BitbucketParseResult.Failure("The delivery has no event key.");
        }

        byte[] body;
        try
        {
            using var input = new MemoryStream(compressedBody, writable: false);
            using var brotli = new BrotliStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            brotli.CopyTo(output);
            body = output.ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            return BitbucketParseResult.Failure("The stored body cannot be read.");
        }

        var product = source == "cloud" ? BitbucketProduct.Cloud : BitbucketProduct.DataCenter;
        return BitbucketEventParser.Parse(body, eventKey, product, serverUrl);
    }
}
