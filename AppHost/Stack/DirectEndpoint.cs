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
        configured is { } port && !WellKnownPorts.AreRandomized(configuration) ? port : FreePort.Choose();

    /// <summary>
    /// An endpoint that clients reach without DCP's proxy, on <paramref name="port"/> (the process's own), or on a free
    /// loopback port when none is given.
    /// </summary>
    public static IResourceBuilder<T> WithDirectEndpoint<T>(this IResourceBuilder<T> builder, string name, string scheme, int? port = null)
        where T : IResourceWithEndpoints
    {
        var chosen = port ?? FreePort.Choose();
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
}
