using Webhooks.Grains.Events;
using Webhooks.Grains.Events.Parsing;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// A recorded delivery's event, parsed again from the Brotli-compressed body ingress stored: how the sweeper finishes a
/// delivery left accepted and how a redelivery (management API or dashboard) replays one. Parsing is the same as at
/// ingress (the receiver's server URL stands in for the repository links old Data Center payloads lack).
/// </summary>
public static class StoredEvent
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

        if (DeliveryContent.Decompress(compressedBody) is not { } body)
        {
            return BitbucketParseResult.Failure("The stored body cannot be read.");
        }

        var product = source == "cloud" ? BitbucketProduct.Cloud : BitbucketProduct.DataCenter;
        return BitbucketEventParser.Parse(body, eventKey, product, serverUrl);
    }
}
