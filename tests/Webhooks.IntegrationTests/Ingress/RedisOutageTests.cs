using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Webhooks.AppHost.Stack;
using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Webhooks.IntegrationTests.Ingress;

/// <summary>
/// Redis is a cache and a fast duplicate check, never the truth: with it gone mid-run, ingress keeps answering
/// from PostgreSQL, in milliseconds (Bitbucket Cloud gives up after 10 s), and the service reports Degraded, not down.
/// The Receiver gets a Redis of its own (a redis-server of its own, as the AppHost runs it, without persistence) so stopping it touches no other test.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class RedisOutageTests : IngressTestBase
{
    /// <summary>An answer slower than this would mean waiting on Redis timeouts; Bitbucket Cloud waits 10 s in all.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    private readonly ITestOutputHelper _output;
    private readonly int _port = FreePort.Choose();
    private Process? _redis;

    public RedisOutageTests(StorageFixture storage, ITestOutputHelper output) : base(storage, "redisoutage")
    {
        _output = output;
        StartRedis();
        Factory.Settings["ConnectionStrings:redis"] = $"127.0.0.1:{_port}";
    }

    public override async Task DisposeAsync()
    {
        // Redis back (empty, as after a restart without persistence) before the Receiver stops.
        StartRedis();
        var redis = Factory.Services.GetRequiredService<IConnectionMultiplexer>();
        await Poll.UntilAsync(() => Task.FromResult(redis.IsConnected), connected => connected, "the Receiver to reconnect to Redis");
        try
        {
            await base.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // The silo cannot mark itself dead in an Orleans membership table the outage wiped, and says so by
            // cancelling its stop; every service has been stopped by then. Orleans' business, not this test's.
        }

        StopRedis();
    }

    [Fact]
    public async Task IngressKeepsWorkingFromPostgreSqlWhenRedisStops()
    {
        var (url, secret) = await BitbucketSender.CreateReceiverAsync(Admin, "outage", "known");
        // Never looked up before the outage, so neither memory nor Redis can answer for it.
        var (coldUrl, coldSecret) = await BitbucketSender.CreateReceiverAsync(Admin, "outage", "cold");
        var firstId = Guid.NewGuid().ToString();
        var first = await Client.SendAsync(BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret, firstId));
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var firstDelivery = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();

        StopRedis();
        var redis = Factory.Services.GetRequiredService<IConnectionMultiplexer>();
        await Poll.UntilAsync(() => Task.FromResult(redis.IsConnected), connected => !connected, "the Receiver to see Redis gone");

        var (push, pushTime) = await TimeAsync("new push", () => Client.SendAsync(
            BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-multiple-changes.json"), secret)));
        var (cold, coldTime) = await TimeAsync("push to a receiver not cached", () => Client.SendAsync(
            BitbucketSender.Cloud(coldUrl, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), coldSecret)));
        var (retry, retryTime) = await TimeAsync("retry of a delivery from before", () => Client.SendAsync(
            BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-signed.json"), secret, firstId, attempt: 2)));
        var (forged, forgedTime) = await TimeAsync("wrong signature", () => Client.SendAsync(
            BitbucketSender.Cloud(url, "repo:push", BitbucketSender.Fixture("cloud-repo-push-branch-delete.json"), "not-the-secret")));
        var (health, _) = await TimeAsync("/health", () => Client.GetAsync("/health"));

        Assert.Equal(HttpStatusCode.Accepted, push.StatusCode);
        Assert.Equal(DeliveryOutcome.Accepted, (await DeliveryAsync(await DeliveryIdAsync(push))).Outcome);
        Assert.Equal(HttpStatusCode.Accepted, cold.StatusCode);
        Assert.Equal(DeliveryOutcome.Accepted, (await DeliveryAsync(await DeliveryIdAsync(cold))).Outcome);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var duplicate = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", duplicate.GetProperty("outcome").GetString());
        Assert.Equal(firstDelivery, duplicate.GetProperty("deliveryId").GetGuid());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Degraded", await health.Content.ReadAsStringAsync());
        Assert.All([pushTime, coldTime, retryTime, forgedTime], elapsed => Assert.True(elapsed < Prompt, $"took {elapsed.TotalMilliseconds:F0} ms"));
        Assert.Single(await DeliveriesAsync(), d => d.RequestId == firstId && d.Outcome == DeliveryOutcome.Accepted);
    }

    private async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimeAsync(string what, Func<Task<HttpResponseMessage>> send)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await send();
        var elapsed = Stopwatch.GetElapsedTime(started);
        _output.WriteLine($"Redis down: {what} → {(int)response.StatusCode} in {elapsed.TotalMilliseconds:F0} ms");
        return (response, elapsed);
    }

    private static async Task<Guid> DeliveryIdAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deliveryId").GetGuid();

    private void StartRedis()
    {
        if (_redis is not null)
        {
            return;
        }

        // As the AppHost runs it (Debian's redis-server on loopback), but empty after each stop: no append-only file.
        _redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", _port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _redis.OutputDataReceived += (_, _) => { };
        _redis.BeginOutputReadLine();
        var redis = _redis;
        if (!SpinWait.SpinUntil(() => redis.HasExited || Accepts(_port), TimeSpan.FromSeconds(30)) || redis.HasExited)
        {
            throw new InvalidOperationException($"redis-server did not accept connections on port {_port} within 30 s");
        }
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void StopRedis()
    {
        if (_redis is { } redis)
        {
            redis.Kill();
            redis.WaitForExit();
            redis.Dispose();
            _redis = null;
        }
    }
}
