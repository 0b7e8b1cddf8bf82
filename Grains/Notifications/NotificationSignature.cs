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

    /// <summary>
    /// The <c>webhook-signature</c> value for <paramref name="payload"/> (the body exactly as sent), one signature per
    /// key. With several keys the first signature is repeated at the end: the <c>StandardWebhooks</c> package (1.1.2)
    /// stops before comparing the last entry of a list, so without it a receiver verifying with the package and the
    /// previous secret would refuse every notification of a rotation. Other verifiers just compare one entry more.
    /// </summary>
    public static string Sign(IReadOnlyList<byte[]> keys, string id, DateTimeOffset timestamp, string payload)
    {
        var signatures = keys.Select(key => new StandardWebhook(key).Sign(id, timestamp, payload)).ToList();
        if (signatures.Count > 1)
        {
            signatures.Add(signatures[0]);
        }

        return string.Join(' ', signatures);
    }
}
