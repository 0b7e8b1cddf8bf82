namespace Webhooks.Grains.Tokens;

public enum ApiTokenType
{
    /// <summary>Authorises the management API and the dashboard.</summary>
    Admin,

    /// <summary>Authorises only the ARM-style webhook endpoints of its project.</summary>
    Webhook,
}
