using System.Net;
using System.Net.Sockets;

namespace Webhooks.AppHost.Stack;

/// <summary>
/// Free loopback ports for processes that bind them later: the stack's direct endpoints, and the test hosts' silo and
/// server ports.
/// </summary>
public static class FreePort
{
    /// <summary>The lowest port <see cref="Choose"/> chooses: clear of the ports the stack is configured on (5170, 5180, 18888…).</summary>
    public const int Lowest = 20000;

    /// <summary>
    /// A loopback port nobody listens on now, below the system's ephemeral range, chosen at random so two stacks
    /// starting together differ. Not the system's choice (port 0): that comes from the ephemeral range, which the
    /// system also draws the source ports of outgoing connections from, and between this choice and the process
    /// binding the port (after its migrations and its first connections to PostgreSQL and Redis) one of them took it:
    /// the receiver then failed to start with "address already in use".
    /// </summary>
    public static int Choose()
    {
        var below = EphemeralRange().Start;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(Lowest, below);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {below} after 100 tries.");
    }

    /// <summary>
    /// The ports the system hands out as source ports (<c>net.ipv4.ip_local_port_range</c> on Linux; elsewhere the
    /// IANA range, 49152–65535).
    /// </summary>
    public static (int Start, int End) EphemeralRange()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        var bounds = File.Exists(Range) ? File.ReadAllText(Range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
        return bounds.Length == 2 && int.TryParse(bounds[0], out var start) && int.TryParse(bounds[1], out var end) && start > Lowest
            ? (start, end)
            : (49152, 65535);
    }
}
