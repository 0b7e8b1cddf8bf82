using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StandardWebhooks;
using Webhooks.Grains.Notifications;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// A downstream receiver built only with the <c>StandardWebhooks</c> package verifies what a push makes us send, refuses
/// a replay outside its tolerance, and keeps verifying through a rotation of the warehouse's notify secret.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class StandardWebhooksNotificationTests(StorageFixture storage) : IAsyncLifetime
{
    private RefreshHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new RefreshHost(storage, "refresh_standard", RefreshHost.QuickNotifications);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task EveryNotificationOfAPushVerifiesWithTheStandardWebhooksPackageAndAnOldReplayIsRefused()
    {
        await using var downstream = await StandardWebhooksDownstream.StartAsync();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        var created = await _host.CreateWarehouseAsync("acme", "ci", [new { repoUrl = "https://bitbucket.org/acme/ci", branch = "**" }],
            notify: new { url = downstream.Url });
        // No secret given: one is generated, shown in this answer only.
        var notify = created.GetProperty("notify");
        downstream.Secret = notify.GetProperty("secret").GetString();
        Assert.StartsWith(NotifySecret.Prefix, downstream.Secret, StringComparison.Ordinal);
        Assert.False(notify.GetProperty("legacyHubSignature").GetBoolean());
        Assert.DoesNotContain(downstream.Secret!, (await _host.GetAsync("/api/projects/acme/warehouses/ci")).GetRawText());

        string[] heads = [CloudPush.Hash("std-main"), CloudPush.Hash("std-feature"), CloudPush.Hash("std-release")];
        await _host.PushAsync(url, secret, CloudPush.Body("acme/ci",
            CloudPush.Branch("main", heads[0]), CloudPush.Branch("feature/a", heads[1]), CloudPush.Branch("release/1.0", heads[2])));

        var freight = await Poll.UntilAsync(() => _host.FreightAsync("acme", "ci"),
            f => f.Count == 3 && f.All(x => x.GetProperty("notification").GetString() == "delivered"), "every Freight of the push to be delivered");
        Assert.Empty(downstream.Refused);
        Assert.Equal(
            freight.Select(f => f.GetProperty("id").GetGuid()).Order(),
            downstream.Processed.Select(r => Guid.Parse(r.Headers[NotificationSignature.IdHeader])).Order());
        Assert.Equal(heads.Order(), downstream.Processed.Select(r => JsonDocument.Parse(r.Payload).RootElement.GetProperty("commit").GetString()!).Order());
        Assert.All(downstream.Processed, r => Assert.False(r.Headers.ContainsKey(HttpFreightNotifier.HubSignatureHeader)));
        // The body is what the published schema says: every property it requires, none it does not know.
        var schema = await _host.Client.GetFromJsonAsync<JsonElement>("/schemas/freight.created.json");
        var payload = JsonDocument.Parse(downstream.Processed.First().Payload).RootElement;
        Assert.Equal(
            schema.GetProperty("required").EnumerateArray().Select(p => p.GetString()!).Order(),
            payload.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(),
            payload.EnumerateObject().Select(p => p.Name).Order());

        // Replayed as captured, inside the tolerance: the signature holds, and the receiver drops it by its webhook-id.
        using var client = new HttpClient();
        var captured = downstream.Processed.First();
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(Replay(downstream.Url, captured.Payload, captured.Headers))).StatusCode);
        Assert.Single(downstream.Repeats);

        // The same notification as captured ten minutes earlier, replayed now: outside the tolerance, refused.
        var id = captured.Headers[NotificationSignature.IdHeader];
        var tenMinutesEarlier = DateTimeOffset.FromUnixTimeSeconds(long.Parse(captured.Headers[NotificationSignature.TimestampHeader], CultureInfo.InvariantCulture))
            - TimeSpan.FromMinutes(10);
        var old = new Dictionary<string, string>(captured.Headers, StringComparer.OrdinalIgnoreCase)
        {
            [NotificationSignature.TimestampHeader] = NotificationSignature.Timestamp(tenMinutesEarlier),
            [NotificationSignature.SignatureHeader] = NotificationSignature.Sign(
                [NotifySecret.SigningKey(downstream.Secret!)], id, tenMinutesEarlier, captured.Payload),
        };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Replay(downstream.Url, captured.Payload, old))).StatusCode);
        var (_, reason) = Assert.Single(downstream.Refused);
        Assert.Contains("too old", reason);
        Assert.Equal(3, downstream.Processed.Count);
    }

    [Fact]
    public async Task RotatingTheNotifySecretKeepsTheOldOneVerifyingForTheGracePeriod()
    {
        await using var downstream = await StandardWebhooksDownstream.StartAsync();
        downstream.Secret = NotifySecret.New();
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(_host.Admin, "acme", "cloud");
        await _host.CreateWarehouseAsync("acme", "rotating", [new { repoUrl = "https://bitbucket.org/acme/rotating", branch = "main" }],
            notify: new { url = downstream.Url, secret = downstream.Secret, legacyHubSignature = true });

        var rotation = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses/rotating/rotate-notify-secret", new { gracePeriod = "PT1H" });
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var rotated = await rotation.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.StartsWith(NotifySecret.Prefix, newSecret, StringComparison.Ordinal);
        var shown = (await _host.GetAsync("/api/projects/acme/warehouses/rotating")).GetProperty("notify");
        Assert.Equal(rotated.GetProperty("previousValidUntil").GetDateTimeOffset(), shown.GetProperty("previousSecretValidUntil").GetDateTimeOffset());
        Assert.InRange(rotated.GetProperty("previousValidUntil").GetDateTimeOffset() - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(55), TimeSpan.FromMinutes(61));

        await _host.PushAsync(url, secret, CloudPush.Body("acme/rotating", CloudPush.Branch("main", CloudPush.Hash("rotating-1"))));

        // The receiver still holding the old secret verifies; so would one already holding the new one.
        var received = (await Poll.UntilAsync(() => Task.FromResult(downstream.Processed), p => p.Count == 1, "the notification signed during the grace period")).Single();
        new StandardWebhook(newSecret).Verify(received.Payload, ToHeaders(received.Headers));
        // The deprecated header, on for this warehouse, is keyed with the current secret.
        Assert.Equal(HttpFreightNotifier.Sign(newSecret, Encoding.UTF8.GetBytes(received.Payload)), received.Headers[HttpFreightNotifier.HubSignatureHeader]);

        // Rotated again without a grace period: the first secret signs nothing any more, and its receiver refuses.
        var again = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses/rotating/rotate-notify-secret", new { gracePeriod = "PT0S" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await _host.PushAsync(url, secret, CloudPush.Body("acme/rotating", CloudPush.Branch("main", CloudPush.Hash("rotating-2"))));

        var (_, reason) = (await Poll.UntilAsync(() => Task.FromResult(downstream.Refused.ToList()), r => r.Count >= 1, "the notification after the grace period to be refused"))[0];
        Assert.Contains("No matching signature", reason);
        Assert.Single(downstream.Processed);
    }

    [Fact]
    public async Task ARotationIsRefusedForAMalformedSecretOrAWarehouseWithoutTarget()
    {
        await _host.CreateWarehouseAsync("acme", "quiet", [new { repoUrl = "https://bitbucket.org/acme/quiet" }]);

        var malformed = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses/quiet/rotate-notify-secret", new { secret = "whsec_c2hvcnQ=" });
        var noTarget = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses/quiet/rotate-notify-secret", new { });
        var missing = await _host.Admin.PostAsJsonAsync("/api/projects/acme/warehouses/nowhere/rotate-notify-secret", new { });

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("secret", (await malformed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.BadRequest, noTarget.StatusCode);
        Assert.Contains("notify", (await noTarget.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static HttpRequestMessage Replay(string url, string payload, IReadOnlyDictionary<string, string> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        foreach (var name in new[] { NotificationSignature.IdHeader, NotificationSignature.TimestampHeader, NotificationSignature.SignatureHeader })
        {
            request.Headers.Add(name, headers[name]);
        }

        return request;
    }

    private static Microsoft.AspNetCore.Http.HeaderDictionary ToHeaders(IReadOnlyDictionary<string, string> headers) =>
        new(headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value), StringComparer.OrdinalIgnoreCase));
}
