using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Webhooks.ServiceDefaults.Networking;

/// <summary>
/// The <c>Webhooks:ForwardedHeaders</c> settings: which reverse proxies may tell a service the client's address
/// (<c>X-Forwarded-For</c>) and scheme (<c>X-Forwarded-Proto</c>). Empty by default, and then the headers are ignored:
/// believed from anyone, they would let any sender claim an address inside a receiver's allowlist.
/// </summary>
public sealed class TrustedProxyOptions : IValidatableObject
{
    public const string SectionName = "Webhooks:ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR form, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>How many proxies deep the forwarded headers are read.</summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    public bool IsConfigured => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(proxy => !IPAddress.TryParse(proxy, out _)))
        {
            yield return new ValidationResult($"'{proxy}' is not an IP address.", [nameof(KnownProxies)]);
        }

        foreach (var network in KnownNetworks.Where(network => !IPNetwork.TryParse(network, out _)))
        {
            yield return new ValidationResult($"'{network}' is not a network in CIDR form (10.0.0.0/24).", [nameof(KnownNetworks)]);
        }
    }
}
