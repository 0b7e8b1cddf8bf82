using System.Net;
using System.Net.Sockets;

namespace Webhooks.AppHost.Stack;

/// <summary>
/// Endpoints that Aspire does not proxy. DCP's proxy is a load balancer in front of a resource: every connection to a
/// proxied endpoint is relayed through the <c>dcp</c> process, byte by byte. For a resource with one instance it is only
/// a hop — and on the stack's hot path (every request to the receiver, every PostgreSQL round trip, every Redis
/// command) it cost a tenth of the machine's CPU under load (docs/benchmarks.md). A direct endpoint needs its port
/// before the process starts: the one configured, else a free loopback port.
/// </summary>
internal static class DirectEndpoint
{
    /// <summary>
    /// The port for a direct endpoint: <paramref name="configured"/> when given (and Aspire is not told to randomize
    /// ports, <see cref="WellKnownPorts.AreRandomized"/>), else a free one.
    /// </summary>
    public static int Port(IConfiguration configuration, int? configured) =>
        configured is { } port && !WellKnownPorts.AreRandomized(configuration) ? port : Free();

    /// <summary>
    /// An endpoint that clients reach without DCP's proxy, on <paramref name="port"/> (the process's own), or on a free
    /// loopback port when none is given.
    /// </summary>
    public static IResourceBuilder<T> WithDirectEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, int? port = null)
        where T : IResourceWithEndpoints
    {
        var chosen = port ?? Free();
        return builder.WithEndpoint(port: chosen, targetPort: chosen, scheme: scheme, name: name, isProxied: false);
    }

    /// <summary>
    /// The receiver's <c>http</c> endpoint on <c>Ports:receiver</c>: replicas share it through Aspire's proxy (their
    /// load balancer); a single receiver listens on it itself.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReceiverEndpoint(this IResourceBuilder<ProjectResource> receiver, IConfiguration configuration, int replicas)
    {
        var port = configuration.GetValue("Ports:receiver", WellKnownPorts.Receiver);
        return replicas > 1
            ? receiver.WithHttpEndpoint(port: port, name: "http")
            : receiver.WithDirectEndpoint("http", "http", Port(configuration, port));
    }

    /// <summary>The lowest port <see cref="Free"/> chooses: above the registered ports services are commonly given.</summary>
    internal const int LowestFreePort = 20000;

    /// <summary>
    /// A loopback port nobody listens on now, below the system's ephemeral range, chosen at random so two stacks
    /// starting together differ. Not the system's choice (port 0): that comes from the ephemeral range, which the
    /// system also draws the source ports of outgoing connections from, and between this choice and the process
    /// binding the port (after its migrations and its first connections to PostgreSQL and Redis) one of them took it:
    /// the receiver then failed to start with "address already in use".
    /// </summary>
    internal static int Free()
    {
        var below = EphemeralPorts().Start;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(LowestFreePort, below);
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

        throw new InvalidOperationException($"No free loopback port between {LowestFreePort} and {below} after 100 tries.");
    }

    /// <summary>
    /// The ports the system hands out as source ports (<c>net.ipv4.ip_local_port_range</c> on Linux; elsewhere the
    /// IANA range, 49152–65535).
    /// </summary>
    internal static (int Start, int End) EphemeralPorts()
    {
        const string Range = "/proc/sys/net/ipv4/ip_local_port_range";
        var bounds = File.Exists(Range) ? File.ReadAllText(Range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
        return bounds.Length == 2 && int.TryParse(bounds[0], out var start) && int.TryParse(bounds[1], out var end) && start > LowestFreePort
            ? (start, end)
            : (49152, 65535);
    }
}
