using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Hostile;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.IntegrationTests.Management;

namespace Webhooks.IntegrationTests.Security;

/// <summary>
/// A receiver's <c>allowedNetworks</c>, on real Kestrel with senders on distinct loopback addresses: from outside, 403
/// before the signature is looked at, recorded without the body; <c>X-Forwarded-For</c> counts only from a known proxy.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class AllowedNetworksTests(StorageFixture storage)
{
    private static readonly IPAddress Inside = IPAddress.Parse("127.0.0.2");
    private static readonly byte[] Push = BitbucketSender.Fixture("cloud-repo-push-signed.json");

    [Fact]
    public async Task ADeliveryFromOutsideIsRefused403BeforeItsSignatureAndRecordedWithoutItsBody()
    {
        await using var server = HostileServer.Start(storage);
        var (url, secret) = await CreateReceiverAsync(server, "only-two", ["127.0.0.2", "2001:db8::/32"]);
        using var outside = server.ClientFrom(IPAddress.Loopback);
        using var inside = server.ClientFrom(Inside);

        using var signedFromOutside = await outside.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, secret));
        using var forgedFromOutside = await outside.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, "not-the-secret"));
        using var signedFromInside = await inside.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, secret));

        var refused = await ProblemAssert.IsProblemAsync(signedFromOutside, HttpStatusCode.Forbidden);
        Assert.Contains("127.0.0.1 is not in this receiver's allowed networks", refused.GetProperty("detail").GetString());
        // A wrong signature from outside gets the same 403: the signature is never checked there.
        await ProblemAssert.IsProblemAsync(forgedFromOutside, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Accepted, signedFromInside.StatusCode);

        var row = await RowAsync(server, refused.GetProperty("deliveryId").GetGuid());
        Assert.Equal(DeliveryOutcome.Rejected, row.Outcome);
        Assert.Equal(403, row.StatusCode);
        Assert.Equal("127.0.0.1", row.RemoteAddress);
        Assert.Null(row.CompressedBody);
        Assert.NotNull(row.ReceiverId);
    }

    [Fact]
    public async Task TheListCanBeReplacedAndEmptiedAndEveryChangeHoldsAtOnce()
    {
        await using var server = HostileServer.Start(storage);
        var (url, secret) = await CreateReceiverAsync(server, "changing", ["127.0.0.2/32"]);
        using var outside = server.ClientFrom(IPAddress.Loopback);

        Assert.Equal(HttpStatusCode.Forbidden, (await outside.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, secret))).StatusCode);

        var widened = await PutAsync(server, "changing", ["127.0.0.0/8"]);
        Assert.Equal(["127.0.0.0/8"], widened.GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.Accepted, (await outside.SendAsync(BitbucketSender.Cloud(url, "repo:push", Push, secret))).StatusCode);

        await PutAsync(server, "changing", ["10.0.0.0/8"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await outside.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), secret))).StatusCode);

        var emptied = await PutAsync(server, "changing", []);
        Assert.Empty(emptied.GetProperty("allowedNetworks").EnumerateArray());
        Assert.Equal(HttpStatusCode.Accepted, (await outside.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), secret))).StatusCode);
    }

    [Fact]
    public async Task NetworksThatAreNotNetworksAreRefusedNamingTheEntry()
    {
        await using var server = HostileServer.Start(storage);
        await server.CreateReceiverAsync("networks", "first");

        var created = await server.Admin.PostAsJsonAsync("/api/projects/networks/receivers",
            new { name = "bad", allowedNetworks = new[] { "104.192.136.0/21", "bitbucket.org" } });
        var replaced = await server.Admin.PutAsJsonAsync("/api/projects/networks/receivers/first/allowed-networks",
            new { allowedNetworks = new[] { "10.1.2.3/8" } });

        await ProblemAssert.IsValidationProblemAsync(created, "allowedNetworks[1]");
        var problem = await ProblemAssert.IsValidationProblemAsync(replaced, "allowedNetworks[0]");
        Assert.Contains("beyond its prefix", problem.GetProperty("errors").GetProperty("allowedNetworks[0]")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/projects/networks/receivers/bad")).StatusCode);
    }

    [Fact]
    public async Task ForwardedForCountsOnlyFromAKnownProxy()
    {
        await using var server = HostileServer.Start(storage, settings => settings["Webhooks:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1");
        var (url, secret) = await CreateReceiverAsync(server, "proxied", ["203.0.113.0/24"]);
        using var proxy = server.ClientFrom(IPAddress.Loopback);
        using var stranger = server.ClientFrom(Inside);

        using var viaProxy = await proxy.SendAsync(Forwarded(BitbucketSender.Cloud(url, "repo:push", Push, secret), "203.0.113.9"));
        using var viaProxyFromElsewhere = await proxy.SendAsync(Forwarded(BitbucketSender.Cloud(url, "repo:push", Push, secret), "198.51.100.7"));
        using var claimedByStranger = await stranger.SendAsync(Forwarded(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), secret), "203.0.113.9"));

        Assert.Equal(HttpStatusCode.Accepted, viaProxy.StatusCode);
        var behindProxy = await ProblemAssert.IsProblemAsync(viaProxyFromElsewhere, HttpStatusCode.Forbidden);
        Assert.Contains("198.51.100.7", behindProxy.GetProperty("detail").GetString());
        var stranger403 = await ProblemAssert.IsProblemAsync(claimedByStranger, HttpStatusCode.Forbidden);
        Assert.Contains("127.0.0.2", stranger403.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task WithoutKnownProxiesForwardedForIsIgnored()
    {
        await using var server = HostileServer.Start(storage);
        var (url, secret) = await CreateReceiverAsync(server, "direct", ["203.0.113.0/24"]);
        using var client = server.ClientFrom(IPAddress.Loopback);

        using var claimed = await client.SendAsync(Forwarded(BitbucketSender.Cloud(url, "repo:push", Push, secret), "203.0.113.9"));

        var problem = await ProblemAssert.IsProblemAsync(claimed, HttpStatusCode.Forbidden);
        Assert.Contains("127.0.0.1", problem.GetProperty("detail").GetString());
    }

    private static async Task<(string Url, string Secret)> CreateReceiverAsync(HostileServer server, string name, string[] allowedNetworks)
    {
        var created = await server.Admin.PostAsJsonAsync("/api/projects", new { name = "allow" });
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict);
        var response = await server.Admin.PostAsJsonAsync("/api/projects/allow/receivers", new { name, allowedNetworks });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(allowedNetworks.Select(n => n.Contains('/') ? n : n + "/32"), body.GetProperty("allowedNetworks").EnumerateArray().Select(n => n.GetString()));
        return (new Uri(body.GetProperty("url").GetString()!).PathAndQuery, body.GetProperty("secret").GetString()!);
    }

    private static async Task<JsonElement> PutAsync(HostileServer server, string name, string[] allowedNetworks)
    {
        var response = await server.Admin.PutAsJsonAsync($"/api/projects/allow/receivers/{name}/allowed-networks", new { allowedNetworks });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HttpRequestMessage Forwarded(HttpRequestMessage request, string address)
    {
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        return request;
    }

    private static async Task<Delivery> RowAsync(HostileServer server, Guid id) =>
        (await Poll.UntilAsync(async () => (await server.DeliveriesAsync("")).SingleOrDefault(d => d.Id == id), row => row is not null, "the 403 row"))!;
}
