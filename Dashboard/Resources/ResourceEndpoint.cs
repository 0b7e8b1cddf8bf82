namespace Webhooks.Dashboard.Resources;

/// <summary>Where a resource listens. <see cref="IsLink"/> when a browser can open it (HTTP).</summary>
public sealed record ResourceEndpoint(string Address)
{
    public bool IsLink => Address.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || Address.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
