namespace Webhooks.Grains.Deliveries;

/// <summary>
/// Request headers whose value is a credential: ingress never records them and nothing shows them (the management API,
/// the dashboard). One list, so a header added here is hidden everywhere at once.
/// </summary>
public static class CredentialHeaders
{
    public const string RedactedValue = "(redacted)";

    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key",
    };

    public static bool IsCredential(string name) => Names.Contains(name);

    /// <summary>
    /// The headers as they may be shown. Ingress already redacts when it records a row; applying the rule again on the
    /// way out means a credential never reaches a screen even from a row written some other way.
    /// </summary>
    public static Dictionary<string, string> Redact(IReadOnlyDictionary<string, string> headers) =>
        headers.ToDictionary(
            pair => pair.Key,
            pair => IsCredential(pair.Key) ? RedactedValue : pair.Value,
            StringComparer.OrdinalIgnoreCase);
}
