using Webhooks.Grains.Deliveries;

namespace Webhooks.Receiver.Ingress;

/// <summary>
/// The request headers as kept in the history: credentials removed, the signature shortened (it is a keyed hash of
/// the body; kept whole it would help nobody but someone guessing the secret), sizes bounded. Which headers are
/// credentials is <see cref="CredentialHeaders"/>' rule, shared with everything that shows a delivery.
/// </summary>
internal static class RecordedHeaders
{
    private const int MaxHeaders = 64;
    private const int MaxValueLength = 1024;

    public static Dictionary<string, string> From(IHeaderDictionary headers)
    {
        var recorded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            if (recorded.Count == MaxHeaders)
            {
                break;
            }

            var value = values.ToString();
            if (CredentialHeaders.IsCredential(name))
            {
                value = CredentialHeaders.RedactedValue;
            }
            else if (name.Equals(HubSignature.HeaderName, StringComparison.OrdinalIgnoreCase) && value.Length > 15)
            {
                value = value[..15] + "…";
            }
            else if (value.Length > MaxValueLength)
            {
                value = value[..MaxValueLength] + "…";
            }

            recorded[name] = value;
        }

        return recorded;
    }
}
