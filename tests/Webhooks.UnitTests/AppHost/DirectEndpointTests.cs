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

    /// <summary>
    /// A chosen port is never one the system may hand to an outgoing connection meanwhile: the receiver once failed to
    /// start because its port, chosen by the system, had become the source port of a connection before it listened.
    /// </summary>
    [Fact]
    public void AFreePortIsChosenBelowTheSystemsEphemeralRange()
    {
        var (start, end) = FreePort.EphemeralRange();
        Assert.True(start > FreePort.Lowest && end >= start, $"ephemeral range {start}–{end}");
        if (File.Exists("/proc/sys/net/ipv4/ip_local_port_range"))
        {
            Assert.Equal(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
                start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var configuration = new ConfigurationBuilder().Build();
        var chosen = Enumerable.Range(0, 20).Select(_ => DirectEndpoint.Port(configuration, configured: null)).ToList();

        Assert.All(chosen, port => Assert.InRange(port, FreePort.Lowest, start - 1));
        Assert.True(chosen.Distinct().Count() > 1, "the choice is random, so two stacks starting together differ");
    }
}
