using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.IntegrationTests.Infrastructure;
using Webhooks.Receiver;
using Webhooks.Receiver.Ingress;
using Webhooks.ServiceDefaults.Tracing;

namespace Webhooks.IntegrationTests.Security;

/// <summary>
/// Every way a secret or token enters the Receiver — receiver secrets given and generated, rotation, webhook and admin
/// tokens (valid, wrong, revoked; as bearer, as <c>?token=</c>, as HMAC key), notify secrets and git passwords — with
/// every log category at Trace (ASP.NET Core's request and routing lines included) and OpenTelemetry exporting to
/// in-memory exporters: no secret and no receiver path appears in any log line, exported log record or span, in any
/// error answer, or in any answer that is not one of the few that exist to show it (create, webhook-data, rotate,
/// token create).
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class SecretsNeverLeakTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _factory = new(storage, "secrets");
    private readonly CapturedLogs _logs = new();
    private readonly CapturedTelemetry _telemetry = new();
    private readonly RecordingHandler _recorded = new();
    private WebApplicationFactory<ReceiverEntryPoint> _host = null!;
    private HttpClient _client = null!;

    public Task InitializeAsync()
    {
        // Exported (to an address nobody listens on): the service defaults then register OpenTelemetry as with a collector.
        _factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        // Every trace kept: the default sampler keeps 20 a second, and startup's own traces could spend the ingress's.
        _factory.Settings[TraceSampling.TracesPerSecondKey] = "-1";
        _host = _factory.WithWebHostBuilder(builder => builder
            .ConfigureLogging(logging =>
            {
                logging.AddProvider(_logs);
                // Every category at Trace, whatever appsettings.json and the services' own filters say.
                logging.Services.PostConfigure<LoggerFilterOptions>(options =>
                {
                    options.Rules.Clear();
                    options.MinLevel = LogLevel.Trace;
                });
            })
            .ConfigureServices(_telemetry.Register));
        _client = _host.CreateDefaultClient(_recorded);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
    }

    [Fact]
    public async Task NoSecretOrTokenReachesALogLineOrAnAnswerNotMeantToShowIt()
    {
        var push = BitbucketSender.Fixture("cloud-repo-push-signed.json");
        var admin = _factory.AdminToken;
        const string given = "given-secret-Gkvl$k$wyNpQAF42";
        const string rotated = "rotated-secret-8cW2pLq9vXz7";
        const string notifySecret = "notify-secret-Yq3mN8bV1cX5";
        const string gitPassword = "git-password-Zk4rT7wQ2eY6";
        var wrongToken = "whk_" + new string('Q', 40);

        await Admin(HttpMethod.Post, "/api/projects", new { name = "vault" });
        var givenReceiver = await Admin(HttpMethod.Post, "/api/projects/vault/receivers", new { name = "given", secret = given });
        var generatedReceiver = await Admin(HttpMethod.Post, "/api/projects/vault/receivers", new { name = "generated" });
        var generated = generatedReceiver.GetProperty("secret").GetString()!;
        var givenUrl = new Uri(givenReceiver.GetProperty("url").GetString()!).PathAndQuery;
        var generatedUrl = new Uri(generatedReceiver.GetProperty("url").GetString()!).PathAndQuery;
        await Admin(HttpMethod.Get, "/api/projects/vault/receivers/given/webhook-data");
        var token = (await Admin(HttpMethod.Post, "/api/tokens", new { name = "bitbucket", type = "webhook", project = "vault" })).GetProperty("token").GetString()!;
        var revoked = await Admin(HttpMethod.Post, "/api/tokens", new { name = "old", type = "webhook", project = "vault" });
        await Admin(HttpMethod.Delete, $"/api/tokens/{revoked.GetProperty("id").GetGuid()}");
        var revokedToken = revoked.GetProperty("token").GetString()!;
        await Admin(HttpMethod.Post, "/api/projects/vault/warehouses", new
        {
            name = "app",
            subscriptions = new object[]
            {
                new { repoUrl = "https://bitbucket.org/nfalco79/test-repos.git" },
                new { repoUrl = "https://git.example.com/scm/PROJ/lib.git", discovery = "git", credentials = new { username = "ci", password = gitPassword } },
            },
            notify = new { url = "http://127.0.0.1:9/freight", secret = notifySecret },
            // git.example.com does not exist: listing it before saving would refuse the warehouse.
            verify = false,
        });

        // Ingress: signed right and wrong, the secret where a signature or a token belongs.
        await Ingress(BitbucketSender.Cloud(givenUrl, "repo:push", push, given), HttpStatusCode.Accepted);
        await Ingress(BitbucketSender.Cloud(generatedUrl, "repo:push", push, generated), HttpStatusCode.Accepted);
        await Ingress(BitbucketSender.Cloud(givenUrl, "repo:push", push, "not-the-secret"), HttpStatusCode.Unauthorized);
        await Ingress(WithSignature(BitbucketSender.Cloud(givenUrl, "repo:push", push, null), "sha256=" + given), HttpStatusCode.Unauthorized);
        await Ingress(BitbucketSender.Cloud($"{givenUrl}?token={Uri.EscapeDataString(given)}", "repo:push", push, null), HttpStatusCode.Unauthorized);
        await Ingress(WithBearer(BitbucketSender.Cloud(givenUrl, "repo:push", push, null), given), HttpStatusCode.Unauthorized);

        // Rotation: the new secret verifies, the old one during its grace period.
        await Admin(HttpMethod.Post, "/api/projects/vault/receivers/given/rotate-secret", new { secret = rotated, gracePeriod = "PT1H" });
        await Ingress(BitbucketSender.Cloud(givenUrl, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), rotated), HttpStatusCode.Accepted);
        await Ingress(BitbucketSender.Cloud(givenUrl, "repo:push", BitbucketSender.Fixture("cloud-repo-push-multiple-changes.json"), given), HttpStatusCode.Accepted);

        // ARM: the webhook token as ?token=, as bearer, as HMAC key; wrong, revoked and admin tokens refused.
        const string arm = "/api/webhook/v2/vault/sync-alm-commits";
        await Ingress(BitbucketSender.Cloud($"{arm}?token={token}", "repo:push", push, null), HttpStatusCode.Accepted);
        await Ingress(WithBearer(BitbucketSender.Cloud(arm, "repo:push", BitbucketSender.Fixture("cloud-repo-push-tag-create.json"), null), token), HttpStatusCode.Accepted);
        await Ingress(BitbucketSender.Cloud($"/api/webhook/v2/vault/trigger-scm-push-request", "repo:push", push, token), HttpStatusCode.Accepted);
        await Ingress(BitbucketSender.Cloud($"{arm}?token={wrongToken}", "repo:push", push, null), HttpStatusCode.Unauthorized);
        await Ingress(BitbucketSender.Cloud($"{arm}?token={revokedToken}", "repo:push", push, null), HttpStatusCode.Unauthorized);
        await Ingress(WithBearer(BitbucketSender.Cloud(arm, "repo:push", push, null), admin), HttpStatusCode.Unauthorized);
        await Ingress(BitbucketSender.Cloud(arm, "repo:push", push, wrongToken), HttpStatusCode.Unauthorized);

        // Management: wrong and revoked bearer tokens, a webhook token where an admin one is needed.
        foreach (var bearer in new[] { wrongToken, revokedToken, token, given })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/projects") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", bearer) } };
            using var response = await _client.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{response.StatusCode}");
        }

        // Read back everything the history and the views show.
        await Admin(HttpMethod.Get, "/api/projects/vault/receivers");
        await Admin(HttpMethod.Get, "/api/projects/vault/warehouses/app");
        await Admin(HttpMethod.Get, "/api/tokens");
        var page = await Admin(HttpMethod.Get, "/api/deliveries?project=vault&limit=100");
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            await Admin(HttpMethod.Get, $"/api/deliveries/{item.GetProperty("id").GetGuid()}");
        }

        string[] secrets = [given, generated, rotated, token, revokedToken, wrongToken, admin, notifySecret, gitPassword];
        // That capture works at all: ASP.NET Core's request lines at Trace, and the spans of the requests.
        Assert.Contains(_logs.Lines, line => line.Contains("Request starting", StringComparison.Ordinal) && line.Contains("/webhooks/bitbucket/[redacted]", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("token=[redacted]", StringComparison.Ordinal));
        Assert.NotEmpty(_telemetry.LogRecords);
        await Poll.UntilAsync(() => Task.FromResult(_telemetry.SpanCount), count => count > 0, "an exported span");
        var spans = _telemetry.Spans();
        Assert.Contains(spans, span => span.Contains("/webhooks/bitbucket/", StringComparison.Ordinal));
        var everything = _logs.Lines.Concat(_telemetry.LogRecords).Concat(spans).ToList();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(everything, line => line.Contains(secret, StringComparison.Ordinal));
        }

        // Receiver paths are credentials too: whoever knows one can knock (and, without a secret, deliver).
        foreach (var url in new[] { givenUrl, generatedUrl })
        {
            var path = url[(url.LastIndexOf('/') + 1)..];
            Assert.DoesNotContain(everything, line => line.Contains(path, StringComparison.Ordinal));
        }

        foreach (var exchange in _recorded.Exchanges.Where(e => !IsMeantToShowASecret(e)))
        {
            foreach (var secret in secrets)
            {
                Assert.False(exchange.Body.Contains(secret, StringComparison.Ordinal),
                    $"{exchange.Method} {exchange.PathAndQuery} ({exchange.Status}) answered with a secret: {exchange.Body}");
            }
        }
    }

    /// <summary>The answers that exist to show a secret once: create, webhook-data, rotate, token create.</summary>
    private static bool IsMeantToShowASecret(RecordedExchange exchange) =>
        exchange.Status < 300 && (
            (exchange.Method == HttpMethod.Post && exchange.PathAndQuery.EndsWith("/receivers", StringComparison.Ordinal))
            || exchange.PathAndQuery.EndsWith("/webhook-data", StringComparison.Ordinal)
            || exchange.PathAndQuery.EndsWith("/rotate-secret", StringComparison.Ordinal)
            || (exchange.Method == HttpMethod.Post && exchange.PathAndQuery == "/api/tokens"));

    private async Task<JsonElement> Admin(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : JsonContent.Create(body),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", _factory.AdminToken) },
        };
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task Ingress(HttpRequestMessage request, HttpStatusCode expected)
    {
        using (request)
        using (var response = await _client.SendAsync(request))
        {
            Assert.True(response.StatusCode == expected, $"{request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static HttpRequestMessage WithSignature(HttpRequestMessage request, string signature)
    {
        request.Headers.TryAddWithoutValidation(HubSignature.HeaderName, signature);
        return request;
    }

    private static HttpRequestMessage WithBearer(HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
