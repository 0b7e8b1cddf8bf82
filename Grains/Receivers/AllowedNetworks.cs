using System.Net;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// A receiver's allowlist: CIDR blocks (IPv4 or IPv6), or single addresses, that deliveries may come from.
/// </summary>
public static class AllowedNetworks
{
    public const int MaxCount = 100;

    /// <summary>
    /// The normalised form of <paramref name="text"/> (<c>104.192.136.0/21</c>; a bare address becomes /32 or /128), or
    /// null with <paramref name="error"/> saying why it is not a network.
    /// </summary>
    public static string? Normalize(string? text, out string? error)
    {
        error = null;
        var trimmed = text?.Trim() ?? "";
        if (IPAddress.TryParse(trimmed, out var address) && !trimmed.Contains('/'))
        {
            address = Unmapped(address);
            return new IPNetwork(address, address.GetAddressBytes().Length * 8).ToString();
        }

        // IPNetwork masks host bits away (10.1.2.3/8 reads as 10.0.0.0/8): more likely a typo than a wish, so refused.
        if (IPNetwork.TryParse(trimmed, out var network) && IPAddress.TryParse(trimmed[..trimmed.IndexOf('/')], out var given)
            && Unmapped(given).Equals(network.BaseAddress))
        {
            return network.ToString();
        }

        var slash = trimmed.IndexOf('/');
        var bitsBeyondPrefix = slash > 0
            && IPAddress.TryParse(trimmed[..slash], out var first)
            && int.TryParse(trimmed[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
            && prefix <= first.GetAddressBytes().Length * 8;
        error = bitsBeyondPrefix
            ? $"'{trimmed}' has address bits set beyond its prefix length; give the network's first address (e.g. 104.192.136.0/21)."
            : $"'{trimmed}' is not a network in CIDR form (104.192.136.0/21) or an IP address.";
        return null;
    }

    /// <summary>
    /// The normalised, distinct list; an error per entry that is not a network goes into <paramref name="errors"/> under
    /// <c>allowedNetworks[i]</c>, as the management API's validation problems name fields.
    /// </summary>
    public static List<string> Normalize(IReadOnlyList<string>? given, Dictionary<string, string[]> errors)
    {
        var networks = new List<string>();
        if (given is null)
        {
            return networks;
        }

        if (given.Count > MaxCount)
        {
            errors["allowedNetworks"] = [$"Give at most {MaxCount} networks."];
            return networks;
        }

        for (var i = 0; i < given.Count; i++)
        {
            if (Normalize(given[i], out var error) is { } network)
            {
                if (!networks.Contains(network))
                {
                    networks.Add(network);
                }
            }
            else
            {
                errors[$"allowedNetworks[{i}]"] = [error!];
            }
        }

        return networks;
    }

    /// <summary>Whether <paramref name="address"/> lies in one of <paramref name="networks"/> (stored, normalised form).</summary>
    public static bool Allows(IReadOnlyList<string> networks, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        address = Unmapped(address);
        foreach (var network in networks)
        {
            if (IPNetwork.TryParse(network, out var parsed) && parsed.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    // A dual-stack socket reports an IPv4 client as ::ffff:a.b.c.d; IPv4 blocks must still match it.
    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
