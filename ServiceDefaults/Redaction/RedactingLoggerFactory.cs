using Microsoft.Extensions.Logging;

namespace Webhooks.ServiceDefaults.Redaction;

/// <summary>
/// Wraps the logger factory so every logger, whichever provider writes it (console, OpenTelemetry, a test's), sees
/// messages, values, scopes and exceptions with credentials redacted — at any level.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
