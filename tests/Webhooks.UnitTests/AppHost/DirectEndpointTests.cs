using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Stack;

namespace Webhooks.UnitTests.AppHost;

public sealed class DirectEndpointTests
{
    [Fact]
    public void AConfiguredPortIsKeptAndWithoutOneAFreePortIsChosen()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.Equal(7000, DirectEndpoint.Port(configuration, configured: 7000));
        var chosen = DirectEndpoint.Port(configuration, configured: null);
        using var listener = new TcpListener(IPAddress.Loopback, chosen);
        listener.Start();
    }

    [Fact]
    public void WhenAspireRandomizesPortsEvenAConfiguredOneIsReplacedByAFreeOne()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("DcpPublisher:RandomizePorts", (string?)"true")])
            .Build();

        Assert.NotEqual(takenPort, DirectEndpoint.Port(configuration, configured: takenPort));
    }
}
