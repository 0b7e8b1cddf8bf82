using System.Globalization;
using StandardWebhooks;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Standard Webhooks (standardwebhooks.com) signing: <c>webhook-signature</c> is <c>v1,</c> and the base64
/// HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>, one per key, space-separated, so a receiver still
/// holding the secret from before a rotation verifies as well as one holding the new one. The HMAC itself is the
/// <c>StandardWebhooks</c> package's, the one receivers verify with.
/// </summary>
public static class NotificationSignature
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    /// <summary>The <c>webhook-timestamp</c> value: whole seconds since the Unix epoch.</summary>
    public static string Timestamp(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The <c>webhook-signature</c> value for <paramref name="payload"/> (the body exactly as sent), one signature per key.</summary>
    public static string Sign(IEnumerable<byte[]> keys, string id, DateTimeOffset timestamp, string payload) =>
        string.Join(' ', keys.Select(key => new StandardWebhook(key).Sign(id, timestamp, payload)));
}
