using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Webhooks.ServiceDefaults.Redaction;

namespace Webhooks.UnitTests.Redaction;

public sealed partial class CredentialRedactionTests
{
    private const string ReceiverPath = "k2VfQm9yZ2FuLXRoZS1yZWNlaXZlci1wYXRoLTI1Ng";
    private const string Token = "whk_Q2hhbmdlLW1lLXBsZWFzZS10aGlzLWlzLWEtdG9rZW4";

    [Theory]
    [InlineData($"Request starting HTTP/1.1 POST http://localhost/webhooks/bitbucket/{ReceiverPath} - application/json 812",
        "Request starting HTTP/1.1 POST http://localhost/webhooks/bitbucket/[redacted] - application/json 812")]
    [InlineData($"POST /api/webhook/v2/vault/sync-alm-commits?token={Token}&x=1", "POST /api/webhook/v2/vault/sync-alm-commits?token=[redacted]&x=1")]
    [InlineData("url.query=?TOKEN=abc", "url.query=?TOKEN=[redacted]")]
    [InlineData("Authorization: Bearer abc.def", "Authorization: Bearer [redacted]")]
    [InlineData("\"Authorization\":\"Basic Y2k6cGFzcw==\"", "\"Authorization\":\"Basic [redacted]\"")]
    [InlineData($"token {Token} refused", "token whk_[redacted] refused")]
    [InlineData("The request path /webhooks/bitbucket/{receiverPath} matched", "The request path /webhooks/bitbucket/{receiverPath} matched")]
    [InlineData("Executed endpoint 'HTTP: POST /webhooks/bitbucket/{receiverPath}'", "Executed endpoint 'HTTP: POST /webhooks/bitbucket/{receiverPath}'")]
    [InlineData("nothing to see", "nothing to see")]
    public void CredentialsAreRedactedAndEverythingElseKept(string text, string expected) =>
        Assert.Equal(expected, CredentialRedactor.Redact(text));

    [Fact]
    public void EveryLoggerRedactsItsMessageValuesScopesAndExceptionsAtAnyLevel()
    {
        var fake = new FakeLogCollector();
        var builder = Host.CreateEmptyApplicationBuilder(new());
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(fake)).AddFakeLogging();
        builder.AddCredentialRedaction();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<CredentialRedactionTests>>();

        using (logger.BeginScope(new Dictionary<string, object?> { ["RequestPath"] = $"/webhooks/bitbucket/{ReceiverPath}" }))
        {
            LogRequest(logger, $"/api/webhook/v2/vault/sync-alm-commits?token={Token}", 42);
            logger.LogError(new InvalidOperationException($"failed on /webhooks/bitbucket/{ReceiverPath}"), "Ingress failed");
        }

        var records = fake.GetSnapshot();
        Assert.Equal(2, records.Count);
        var request = records[0];
        Assert.Equal("Trace /api/webhook/v2/vault/sync-alm-commits?token=[redacted] 42", $"{request.Level} {request.Message}");
        Assert.Equal("/api/webhook/v2/vault/sync-alm-commits?token=[redacted]", request.GetStructuredStateValue("Url"));
        Assert.Equal("42", request.GetStructuredStateValue("Size"));
        var text = string.Join("\n", records.Select(r => $"{r.Message} {r.Exception} {string.Join(" ", r.Scopes.Select(s => s?.ToString()))} {string.Join(" ", r.StructuredState ?? [])}"));
        Assert.DoesNotContain(ReceiverPath, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), records[1].Exception!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SpansAreRedactedInTheirNameStatusAndAttributes()
    {
        using var activity = new Activity("request").SetTag("url.full", $"http://localhost/api/webhook/v2/p/x?token={Token}")
            .SetTag("url.path", $"/webhooks/bitbucket/{ReceiverPath}").SetTag("http.route", "/webhooks/bitbucket/{receiverPath}").SetTag("http.response.status_code", 202);
        activity.DisplayName = $"POST /webhooks/bitbucket/{ReceiverPath}";
        activity.SetStatus(ActivityStatusCode.Error, $"Authorization: Bearer {Token}");

        new RedactingActivityProcessor().OnEnd(activity);

        Assert.Equal("POST /webhooks/bitbucket/[redacted]", activity.DisplayName);
        Assert.Equal("Authorization: Bearer [redacted]", activity.StatusDescription);
        Assert.Equal("http://localhost/api/webhook/v2/p/x?token=[redacted]", activity.GetTagItem("url.full"));
        Assert.Equal("/webhooks/bitbucket/[redacted]", activity.GetTagItem("url.path"));
        Assert.Equal("/webhooks/bitbucket/{receiverPath}", activity.GetTagItem("http.route"));
        Assert.Equal(202, activity.GetTagItem("http.response.status_code"));
    }

    [LoggerMessage(Level = LogLevel.Trace, Message = "{Url} {Size}")]
    private static partial void LogRequest(ILogger logger, string url, int size);
}
