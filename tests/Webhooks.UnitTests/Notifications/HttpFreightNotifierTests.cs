using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Webhooks.Grains.Notifications;

namespace Webhooks.UnitTests.Notifications;

public sealed class HttpFreightNotifierTests
{
    private const string Secret = "downstream-s3cret";

    private static readonly FreightNotification Notification = new(
        Guid.Parse("0b7c2f5e-8a51-4a4f-9d0e-5f0c3d1e2a77"),
        "payments",
        "api",
        "bitbucket.org/team/api",
        "https://bitbucket.org/team/api.git",
        "refs/heads/main",
        "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "Fix rounding",
        "Ada",
        new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
        [Guid.Parse("5a0f3c1d-0000-4000-8000-000000000001")]);

    /// <summary>
    /// The notifier as a service gets it, service defaults included: their standard resilience handler must not add
    /// retries under the notifier's own.
    /// </summary>
    internal static async Task<IHost> StartHostAsync(Dictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "Webhooks.UnitTests",
            EnvironmentName = Environments.Development,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Notifications:MaxAttempts"] = "4",
            ["Webhooks:Notifications:BaseDelay"] = "00:00:00.010",
            ["Webhooks:Notifications:MaxDelay"] = "00:00:00.200",
            ["Webhooks:Notifications:AttemptTimeout"] = "00:00:05",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddServiceDefaults();
        builder.AddFreightNotifications();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    internal static Task<(bool Delivered, List<NotificationAttemptResult> Attempts)> NotifyAsync(IHost host, string url, string? secret = Secret) =>
        NotifyAsync(host, new NotifyTarget(url, secret));

    internal static async Task<(bool Delivered, List<NotificationAttemptResult> Attempts)> NotifyAsync(IHost host, NotifyTarget target)
    {
        var attempts = new List<NotificationAttemptResult>();
        var delivered = await host.Services.GetRequiredService<IFreightNotifier>().NotifyAsync(
            Notification,
            target,
            (attempt, _) =>
            {
                attempts.Add(attempt);
                return Task.CompletedTask;
            },
            CancellationToken.None);
        return (delivered, attempts);
    }

    /// <summary>The notifier's attempt counter, as an operator's metrics pipeline would see it.</summary>
    private static MetricCollector<long> CollectAttempts(IHost host) =>
        new(host.Services.GetRequiredService<IMeterFactory>(), Telemetry.NotificationsMeterName, "webhooks.notifications.attempts");

    private static string[] Outcomes(MetricCollector<long> attempts) =>
        attempts.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!).ToArray();

    private static Func<int, HttpContext, Task> Answer(params int[] statusCodes) => (index, context) =>
    {
        context.Response.StatusCode = statusCodes[Math.Min(index, statusCodes.Length - 1)];
        return Task.CompletedTask;
    };

    /// <summary>What a receiver built on the <c>StandardWebhooks</c> package does with a request; throws when it refuses it.</summary>
    private static void Verify(StandardWebhook receiver, LoopbackServer.ReceivedRequest request) =>
        receiver.Verify(Encoding.UTF8.GetString(request.Body), new HeaderDictionary(
            request.Headers.ToDictionary(header => header.Key, header => new StringValues(header.Value), StringComparer.OrdinalIgnoreCase)));

    [Fact]
    public async Task TheEventIsSignedAsStandardWebhooksOverTheExactBytesWithTheFreightIdAsWebhookId()
    {
        await using var server = await LoopbackServer.StartAsync(Answer(200));
        using var host = await StartHostAsync();
        var secret = NotifySecret.New();
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var (delivered, attempts) = await NotifyAsync(host, new NotifyTarget(new Uri(server.Address, "/hooks/freight").AbsoluteUri, secret));

        Assert.True(delivered);
        var attempt = Assert.Single(attempts);
        Assert.Equal((1, 200, true, (string?)null), (attempt.Attempt, attempt.StatusCode, attempt.Succeeded, attempt.Error));
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/freight", request.PathAndQuery);
        Verify(new StandardWebhook(secret), request);
        Assert.Equal(Notification.FreightId.ToString(), request.Headers["webhook-id"]);
        Assert.InRange(long.Parse(request.Headers["webhook-timestamp"], CultureInfo.InvariantCulture), before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var signed = Encoding.UTF8.GetBytes($"{request.Headers["webhook-id"]}.{request.Headers["webhook-timestamp"]}.").Concat(request.Body).ToArray();
        Assert.Equal("v1," + Convert.ToBase64String(HMACSHA256.HashData(NotifySecret.SigningKey(secret), signed)), request.Headers["webhook-signature"]);
        Assert.False(request.Headers.ContainsKey("X-Hub-Signature"));
        Assert.Equal(Notification.FreightId.ToString(), request.Headers["Idempotency-Key"]);
        Assert.Equal("freight.created", request.Headers["X-Webhooks-Event"]);
        Assert.Equal("Webhooks/1.0", request.Headers["User-Agent"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);

        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal(Notification.FreightId, json.RootElement.GetProperty("freightId").GetGuid());
        Assert.Equal("refs/heads/main", json.RootElement.GetProperty("ref").GetString());
        Assert.Equal(Notification.Commit, json.RootElement.GetProperty("commit").GetString());
        Assert.Equal(Notification.DeliveryIds[0], json.RootElement.GetProperty("deliveryIds")[0].GetGuid());
    }

    [Fact]
    public async Task APlainSecretSignsWithItsUtf8BytesAndTheLegacyHubSignatureOnlyWhenAskedFor()
    {
        await using var server = await LoopbackServer.StartAsync(Answer(200));
        using var host = await StartHostAsync();

        await NotifyAsync(host, new NotifyTarget(server.Address.AbsoluteUri, Secret));
        await NotifyAsync(host, new NotifyTarget(server.Address.AbsoluteUri, Secret, HubSignature: true));

        var (modern, legacy) = (server.Requests[0], server.Requests[1]);
        Verify(new StandardWebhook(Encoding.UTF8.GetBytes(Secret)), modern);
        Verify(new StandardWebhook(Encoding.UTF8.GetBytes(Secret)), legacy);
        Assert.False(modern.Headers.ContainsKey("X-Hub-Signature"));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), legacy.Body));
        Assert.Equal(expected, legacy.Headers["X-Hub-Signature"]);
    }

    [Fact]
    public async Task DuringARotationEitherSecretVerifiesAndAfterItOnlyTheNewOne()
    {
        await using var server = await LoopbackServer.StartAsync(Answer(200));
        using var host = await StartHostAsync();
        var (current, previous) = (NotifySecret.New(), NotifySecret.New());
        var now = DateTimeOffset.UtcNow;

        await NotifyAsync(host, new NotifyTarget(server.Address.AbsoluteUri, current, previous, now.AddHours(1)));
        await NotifyAsync(host, new NotifyTarget(server.Address.AbsoluteUri, current, previous, now.AddHours(-1)));

        var (during, after) = (server.Requests[0], server.Requests[1]);
        Verify(new StandardWebhook(current), during);
        Verify(new StandardWebhook(previous), during);
        Verify(new StandardWebhook(current), after);
        Assert.Throws<WebhookVerificationException>(() => Verify(new StandardWebhook(previous), after));
    }

    [Fact]
    public async Task WithoutASecretNoSignatureIsSent()
    {
        await using var server = await LoopbackServer.StartAsync(Answer(204));
        using var host = await StartHostAsync();

        var (delivered, _) = await NotifyAsync(host, new NotifyTarget(server.Address.AbsoluteUri, null, HubSignature: true));

        Assert.True(delivered);
        var request = Assert.Single(server.Requests);
        Assert.False(request.Headers.ContainsKey("X-Hub-Signature"));
        Assert.False(request.Headers.ContainsKey("webhook-signature"));
        Assert.Equal(Notification.FreightId.ToString(), request.Headers["webhook-id"]);
    }

    [Fact]
    public async Task TwoUnavailableAnswersThenSuccessAreThreeRecordedAttemptsOfTheSameEvent()
    {
        await using var server = await LoopbackServer.StartAsync(Answer(503, 503, 200));
        using var host = await StartHostAsync();
        using var counted = CollectAttempts(host);

        var (delivered, attempts) = await NotifyAsync(host, server.Address.AbsoluteUri);

        Assert.True(delivered);
        Assert.Equal(["retryable_failure", "retryable_failure", "success"], Outcomes(counted));
        Assert.Equal([(1, 503, false), (2, 503, false), (3, 200, true)], attempts.Select(a => (a.Attempt, a.StatusCode, a.Succeeded)));
        Assert.All(attempts.Take(2), attempt => Assert.Contains("503", attempt.Error));
        Assert.All(attempts, attempt => Assert.True(attempt.DurationMs >= 0));
        // Exactly three requests reached the target: no second retry layer underneath.
        Assert.Equal(3, server.Requests.Count);
        Assert.Single(server.Requests.Select(request => request.Headers["Idempotency-Key"]).Distinct());
        Assert.Single(server.Requests.Select(request => request.Headers["webhook-id"]).Distinct());
        Assert.Single(server.Requests.Select(request => Convert.ToBase64String(request.Body)).Distinct());
        // Each attempt is signed with its own timestamp, and each verifies.
        Assert.All(server.Requests, request => Verify(new StandardWebhook(Encoding.UTF8.GetBytes(Secret)), request));
    }

    [Fact]
    public async Task ABadRequestIsNotRetried()
    {
        await using var server = await LoopbackServer.StartAsync(Answer(400));
        using var host = await StartHostAsync();
        using var counted = CollectAttempts(host);

        var (delivered, attempts) = await NotifyAsync(host, server.Address.AbsoluteUri);

        Assert.False(delivered);
        Assert.Equal(["permanent_failure"], Outcomes(counted));
        var attempt = Assert.Single(attempts);
        Assert.Equal((400, false), (attempt.StatusCode, attempt.Succeeded));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task AnUnreachableTargetGetsEveryAttemptAndEachIsRecordedWithItsError()
    {
        using var host = await StartHostAsync();
        using var counted = CollectAttempts(host);

        var (delivered, attempts) = await NotifyAsync(host, $"http://127.0.0.1:{LoopbackServer.ClosedPort()}/hook");

        Assert.False(delivered);
        Assert.Equal(Enumerable.Repeat("retryable_failure", 4), Outcomes(counted));
        Assert.Equal([1, 2, 3, 4], attempts.Select(attempt => attempt.Attempt));
        Assert.All(attempts, attempt =>
        {
            Assert.Null(attempt.StatusCode);
            Assert.False(attempt.Succeeded);
            Assert.Contains("refused", attempt.Error, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Secret, attempt.Error);
        });
    }

    [Fact]
    public async Task RetryAfterIsHonouredButCapped()
    {
        await using var server = await LoopbackServer.StartAsync((index, context) =>
        {
            (context.Response.StatusCode, context.Response.Headers.RetryAfter) = index switch
            {
                0 => (429, "1"),
                1 => (503, "3600"),
                _ => (200, default),
            };
            return Task.CompletedTask;
        });
        using var host = await StartHostAsync(new() { ["Webhooks:Notifications:MaxDelay"] = "00:00:01.500" });

        var (delivered, attempts) = await NotifyAsync(host, server.Address.AbsoluteUri);

        Assert.True(delivered);
        Assert.Equal([429, 503, 200], attempts.Select(attempt => attempt.StatusCode));
        var requests = server.Requests;
        var askedForOneSecond = Stopwatch.GetElapsedTime(requests[0].Timestamp, requests[1].Timestamp);
        var askedForAnHour = Stopwatch.GetElapsedTime(requests[1].Timestamp, requests[2].Timestamp);
        // Wall-clock gaps: the lower bounds are the waits asked for (the back-off alone would be 10–20 ms); the upper
        // bounds only need to tell the cap from the hour asked for, so a slow machine cannot fail them. The exact
        // waits are checked on a fake clock below.
        Assert.InRange(askedForOneSecond, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(30));
        Assert.InRange(askedForAnHour, TimeSpan.FromSeconds(1.45), TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("1", 1.0)]
    [InlineData("3600", 1.5)]
    [InlineData("0", 0.0)]
    public void RetryAfterInSecondsIsTheWaitUpToTheCap(string header, double seconds)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Headers = { { "Retry-After", header } } };

        var wait = NotificationPipeline.RetryAfter(response, TimeSpan.FromSeconds(1.5), new FakeTimeProvider());

        Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(3600, 1.5)]
    [InlineData(-30, 0.0)]
    public void RetryAfterAsADateIsTheTimeUntilItUpToTheCap(int secondsFromNow, double seconds)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 12, 0, 0, TimeSpan.Zero));
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(clock.GetUtcNow().AddSeconds(secondsFromNow));

        var wait = NotificationPipeline.RetryAfter(response, TimeSpan.FromSeconds(1.5), clock);

        Assert.Equal(TimeSpan.FromSeconds(seconds), wait);
    }

    [Fact]
    public void NoRetryAfterKeepsTheBackOff()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Null(NotificationPipeline.RetryAfter(response, TimeSpan.FromSeconds(1.5), new FakeTimeProvider()));
        Assert.Null(NotificationPipeline.RetryAfter(null, TimeSpan.FromSeconds(1.5), new FakeTimeProvider()));
    }

    [Fact]
    public async Task AnAttemptWithoutAnAnswerTimesOutAndIsRetried()
    {
        await using var server = await LoopbackServer.StartAsync(async (index, context) =>
        {
            if (index == 0)
            {
                var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        using var host = await StartHostAsync(new() { ["Webhooks:Notifications:AttemptTimeout"] = "00:00:00.300" });
        using var counted = CollectAttempts(host);

        var (delivered, attempts) = await NotifyAsync(host, server.Address.AbsoluteUri);

        Assert.True(delivered);
        Assert.Equal(["timeout", "success"], Outcomes(counted));
        Assert.Equal([(null, false), (200, true)], attempts.Select(attempt => (attempt.StatusCode, attempt.Succeeded)));
        Assert.Contains("No response within 0.3 s", attempts[0].Error);
        Assert.InRange(attempts[0].DurationMs, 250, 3000);
    }

    [Fact]
    public async Task AnInvalidTargetIsRecordedAsAFailedAttempt()
    {
        using var host = await StartHostAsync();
        using var counted = CollectAttempts(host);

        var (delivered, attempts) = await NotifyAsync(host, "ftp://example.com/hook");

        Assert.False(delivered);
        Assert.Equal(["permanent_failure"], Outcomes(counted));
        Assert.Contains("not an absolute http or https URL", Assert.Single(attempts).Error);
    }

    [Fact]
    public async Task InvalidOptionsStopTheHostFromStarting()
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => StartHostAsync(new()
        {
            ["Webhooks:Notifications:BaseDelay"] = "00:00:02",
            ["Webhooks:Notifications:MaxDelay"] = "00:00:01",
        }));

        Assert.Contains("MaxDelay", exception.Message);
    }
}
