using System.Net;
using Microsoft.AspNetCore.Http;
using Webhooks.Grains.Notifications;

namespace Webhooks.UnitTests.Notifications;

/// <summary><c>Webhooks:Notifications:BlockPrivateNetworks</c>: notify URLs cannot reach into the receivers' network.</summary>
public sealed class PrivateNetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void InternalAddressesArePrivate(string address) => Assert.True(PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("104.192.136.1")]
    [InlineData("185.166.140.5")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2401:1d80::1")]
    [InlineData("::ffff:8.8.8.8")]
    public void PublicAddressesAreNot(string address) => Assert.False(PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task WithTheGuardOnALoopbackTargetIsRefusedOnceRecordedAndNeverReached(string host)
    {
        await using var server = await LoopbackServer.StartAsync((_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        using var notifier = await HttpFreightNotifierTests.StartHostAsync(new() { ["Webhooks:Notifications:BlockPrivateNetworks"] = "true" });

        var (delivered, attempts) = await HttpFreightNotifierTests.NotifyAsync(notifier, $"http://{host}:{server.Address.Port}/hook");

        Assert.False(delivered);
        var attempt = Assert.Single(attempts);
        Assert.Null(attempt.StatusCode);
        Assert.Contains("BlockPrivateNetworks", attempt.Error);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task WithTheGuardOffALoopbackTargetIsReached()
    {
        await using var server = await LoopbackServer.StartAsync((_, context) =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        using var notifier = await HttpFreightNotifierTests.StartHostAsync();

        var (delivered, _) = await HttpFreightNotifierTests.NotifyAsync(notifier, new Uri(server.Address, "/hook").ToString());

        Assert.True(delivered);
        Assert.Single(server.Requests);
    }
}
