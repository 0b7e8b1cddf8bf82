using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Webhooks.AppHost.Stack;

namespace Webhooks.UnitTests.AppHost;

public sealed class WellKnownPortsTests
{
    [Fact]
    public void APortInUseIsNamedInOneLineWithHowToChooseAnother()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var message = WellKnownPorts.FindTaken(Configuration(("Ports:receiver", port.ToString()), ("Ports:dashboard", FreePort().ToString())));

        Assert.Equal(
            $"Port {port} (the receiver) is already in use: stop whatever listens on it (`ss -ltnp 'sport = :{port}'`), or choose another port with --Ports:receiver=PORT.",
            message);
    }

    [Fact]
    public void TheAspireDashboardsPortsAreCheckedToo()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var message = WellKnownPorts.FindTaken(Configuration(
            ("Ports:receiver", FreePort().ToString()), ("Ports:dashboard", FreePort().ToString()), ("ASPNETCORE_URLS", $"http://localhost:{port}")));

        Assert.StartsWith($"Port {port} (the Aspire dashboard) is already in use", message);
        Assert.DoesNotContain('\n', message!);
    }

    [Fact]
    public void FreePortsAndTestsRandomPortsPass()
    {
        Assert.Null(WellKnownPorts.FindTaken(Configuration(("Ports:receiver", FreePort().ToString()), ("Ports:dashboard", FreePort().ToString()))));

        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        Assert.Null(WellKnownPorts.FindTaken(Configuration(
            ("Ports:receiver", ((IPEndPoint)taken.LocalEndpoint).Port.ToString()), ("DcpPublisher:RandomizePorts", "true"))));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
