using System.Net;
using System.Net.Sockets;

namespace Webhooks.AppHost.Hosting.Networking;

/// <summary>Hands out loopback ports: the configured one if it is free, else a free one never handed out before in this run.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _given = [];
    private readonly Lock _lock = new();

    public int Allocate(string resource, int? fixedPort = null)
    {
        lock (_lock)
        {
            if (fixedPort is { } port)
            {
                if (_given.Contains(port) || !IsFree(port))
                {
                    throw new StartupException(FailureMessages.PortInUse(resource, port));
                }

                _given.Add(port);
                return port;
            }

            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var free = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (_given.Add(free))
                {
                    return free;
                }
            }
        }
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
