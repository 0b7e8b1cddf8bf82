using Microsoft.Extensions.Logging;

namespace Webhooks.AppHost.Hosting.Logging;

/// <summary>Routes an in-process component's <see cref="ILogger"/> output (Garnet's) into a resource's log.</summary>
internal sealed class ResourceLoggerProvider(ResourceLogger resourceLogger, LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(resourceLogger, minimum);

    public void Dispose()
    {
    }

    private sealed class Logger(ResourceLogger resourceLogger, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                resourceLogger.WriteLine($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
            }
        }
    }
}
