using Microsoft.Extensions.Logging;

namespace Webhooks.ServiceDefaults.Redaction;

/// <summary>A logger that hands its inner logger a redacted copy of anything that carries a credential.</summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
        RedactedLogState.From(state, state.ToString() ?? "") is { } redacted ? inner.BeginScope(redacted) : inner.BeginScope(state);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var redactedState = RedactedLogState.From(state, formatter(state, exception));
        var redactedException = exception is not null && CredentialRedactor.TryRedact(exception.ToString(), out var text)
            ? new RedactedException(exception, text)
            : null;
        if (redactedState is null && redactedException is null)
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }

        inner.Log(logLevel, eventId, redactedState ?? RedactedLogState.Copy(state, formatter(state, exception)), redactedException ?? exception,
            static (s, _) => s.ToString());
    }
}
