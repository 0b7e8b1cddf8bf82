using System.Net;
using Webhooks.Grains.Receivers;

namespace Webhooks.UnitTests.Receivers;

public sealed class AllowedNetworksTests
{
    [Theory]
    [InlineData("104.192.136.0/21", "104.192.136.0/21")]
    [InlineData(" 185.166.140.0/22 ", "185.166.140.0/22")]
    [InlineData("2401:1d80::/32", "2401:1d80::/32")]
    [InlineData("203.0.113.7", "203.0.113.7/32")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void NetworksAreNormalised(string given, string stored) => Assert.Equal(stored, AllowedNetworks.Normalize(given, out _));

    [Theory]
    [InlineData("104.192.136.1/21", "beyond its prefix")]
    [InlineData("104.192.136.0/33", "not a network")]
    [InlineData("bitbucket.org", "not a network")]
    [InlineData("", "not a network")]
    [InlineData("10.0.0.0/8; DROP TABLE receivers", "not a network")]
    public void WhatIsNotANetworkIsRefusedWithTheReason(string given, string reason)
    {
        Assert.Null(AllowedNetworks.Normalize(given, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData("104.192.136.1", true)]
    [InlineData("104.192.143.255", true)]
    [InlineData("104.192.144.0", false)]
    [InlineData("::ffff:104.192.137.9", true)]
    [InlineData("2401:1d80:3000::1", true)]
    [InlineData("2402::1", false)]
    [InlineData("127.0.0.1", false)]
    public void AnAddressIsAllowedWhenOneNetworkHoldsIt(string address, bool allowed) =>
        Assert.Equal(allowed, AllowedNetworks.Allows(["104.192.136.0/21", "2401:1d80::/32"], IPAddress.Parse(address)));

    [Fact]
    public void AnUnknownAddressIsNeverAllowed() => Assert.False(AllowedNetworks.Allows(["0.0.0.0/0"], null));
}
