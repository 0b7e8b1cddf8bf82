using System.Net;
using System.Net.Sockets;

namespace Webhooks.AppHost.Stack;

/// <summary>
/// The ports a developer's bookmarks and Bitbucket's webhooks point at. A port that is taken would otherwise show only
/// as a proxy failure in the Aspire dashboard's logs, with nothing on the AppHost's console.
/// </summary>
internal static class WellKnownPorts
{
    public const int Receiver = 5180;
    public const int Dashboard = 5170;

    /// <summary>
    /// Whether Aspire gives every endpoint a random port (Aspire.Hosting.Testing does, so that stacks can run side by
    /// side): the fixed ports are then not used.
    /// </summary>
    public static bool AreRandomized(IConfiguration configuration) => configuration.GetValue<bool>("DcpPublisher:RandomizePorts");

    /// <summary>The first of the stack's fixed ports that something else already listens on, named; null when all are free.</summary>
    public static string? FindTaken(IConfiguration configuration)
    {
        if (AreRandomized(configuration))
        {
            return null;
        }

        var wanted = new List<(string Name, string Setting, int Port)>
        {
            ("the receiver", "--Ports:receiver=PORT", configuration.GetValue("Ports:receiver", Receiver)),
            ("the Webhooks dashboard", "--Ports:dashboard=PORT", configuration.GetValue("Ports:dashboard", Dashboard)),
        };
        foreach (var (setting, name) in new[]
        {
            ("ASPNETCORE_URLS", "the Aspire dashboard"),
            ("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "the Aspire dashboard's OTLP endpoint"),
            ("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL", "the Aspire resource service"),
        })
        {
            if (configuration[setting]?.Split(';')[0] is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port > 0)
            {
                wanted.Add((name, $"{setting} (AppHost/Properties/launchSettings.json)", uri.Port));
            }
        }

        foreach (var (name, setting, port) in wanted)
        {
            if (!IsFree(port))
            {
                return $"Port {port} ({name}) is already in use: stop whatever listens on it (`ss -ltnp 'sport = :{port}'`), or choose another port with {setting}.";
            }
        }

        return null;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
