using Webhooks.Dashboard.Receivers;
using Webhooks.Grains.Receivers;

namespace Webhooks.ComponentTests;

public sealed class ReceiverEditTests
{
    private static readonly ReceiverView Stored = new(
        "cloud", "https://webhooks.example.com/webhooks/bitbucket/abc", "https://bitbucket.example.com", HasSecret: true, null, null,
        DateTimeOffset.UnixEpoch, null, ["10.0.0.0/8", "192.0.2.1/32"], "Pushes of the api repository");

    [Fact]
    public void AStoredReceiverFillsTheFormAndSavingItUntouchedChangesNothing()
    {
        var request = ReceiverEdit.From(Stored).ToRequest();

        Assert.Equal("https://bitbucket.example.com", request.ServerUrl);
        Assert.Equal(["10.0.0.0/8", "192.0.2.1/32"], request.AllowedNetworks);
        Assert.Equal("Pushes of the api repository", request.Description);
    }

    [Fact]
    public void BlankFieldsClearAndNetworksSplitOnCommasAndLines()
    {
        var edit = ReceiverEdit.From(Stored);
        edit.ServerUrl = " ";
        edit.Description = null;
        edit.AllowedNetworks = "10.0.0.0/8,\n 2001:db8::/32\r\n";

        var request = edit.ToRequest();

        Assert.Equal("", request.ServerUrl);
        Assert.Equal("", request.Description);
        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], request.AllowedNetworks);
    }
}
