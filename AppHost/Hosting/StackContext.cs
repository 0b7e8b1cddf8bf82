using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Logging;
using Webhooks.AppHost.Hosting.Networking;

namespace Webhooks.AppHost.Hosting;

/// <summary>What every resource needs while the stack is prepared, started and stopped.</summary>
internal sealed class StackContext(StackOptions options, IConfiguration configuration, ILogSink sink)
{
    public StackOptions Options { get; } = options;

    public IConfiguration Configuration { get; } = configuration;

    public ILogSink Sink { get; } = sink;

    public string DataDirectory { get; } = options.ResolvedDataDirectory;

    public PortAllocator Ports { get; } = new();

    /// <summary>The AppHost's own lines (state changes, restarts).</summary>
    public ResourceLogger Log { get; } = CreateLog(sink);

    /// <summary>Set once stopping begins: crashed projects are no longer restarted.</summary>
    public CancellationTokenSource Stopping { get; } = new();

    public int? FixedPort(string resource) => Options.Ports.TryGetValue(resource, out var port) ? port : null;

    private static ResourceLogger CreateLog(ILogSink sink)
    {
        var log = new ResourceLogger("apphost");
        log.AttachTo(sink);
        return log;
    }
}
