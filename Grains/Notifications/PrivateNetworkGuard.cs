using System.Net;
using System.Net.Sockets;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// Connects the notifier's HttpClient only to public addresses when <see cref="NotificationOptions.BlockPrivateNetworks"/>
/// is on: notify URLs are chosen by admins, and without this an admin token could make every receiver POST into the
/// network it sits in (a cloud metadata service, an internal admin port). The check is made on the addresses the name
/// resolves to at connect time, the ones actually dialled, so DNS cannot swap an internal address in after a check.
/// </summary>
public static class PrivateNetworkGuard
{
    /// <summary>Loopback, private, link-local, carrier-grade NAT, multicast, unspecified and the like: not the internet.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (bytes[0] & 0xFE) == 0xFC;                       // fc00::/7 unique local
        }

        var b = address.GetAddressBytes();
        return b[0] switch
        {
            0 or 10 or 127 => true,                                 // "this network", RFC 1918, loopback
            100 => b[1] >= 64 && b[1] <= 127,                       // 100.64.0.0/10 carrier-grade NAT
            169 => b[1] == 254,                                     // 169.254.0.0/16 link-local (cloud metadata)
            172 => b[1] >= 16 && b[1] <= 31,                        // 172.16.0.0/12
            192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0),       // 192.168.0.0/16, 192.0.0.0/24 protocol assignments
            198 => b[1] == 18 || b[1] == 19,                        // 198.18.0.0/15 benchmarking
            >= 224 => true,                                         // multicast and reserved
            _ => false,
        };
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that dials the first public address of the host.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(address => !IsPrivate(address)).ToList();
        if (allowed.Count == 0)
        {
            throw new PrivateNetworkRefusedException(
                $"{endpoint.Host} resolves only to private, loopback or link-local addresses; Webhooks:Notifications:BlockPrivateNetworks forbids them.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.Select(address => new IPEndPoint(address, endpoint.Port)).First(), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
