using Microsoft.Extensions.Logging;

namespace Webhooks.Testing;

/// <summary>
/// The AppHost's log and every resource's console (Aspire.Hosting.Testing forwards them to the AppHost's loggers) in
/// one file: xunit hides console output, and a failing run needs the services' lines.
/// </summary>
public sealed class FileLoggerProvider(string path) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }

    private void Write(string line)
    {
        lock (_lock)
        {
            try
            {
                _writer.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A resource's last lines can arrive after the test disposed the stack.
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        // "Aspire.Hosting.Testing....ResourceLoggerForwarderService.receiver-abc12" → the resource's name.
        private readonly string _source = category.StartsWith("Webhooks.AppHost.Resources.", StringComparison.Ordinal)
            ? category["Webhooks.AppHost.Resources.".Length..]
            : category;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {_source} {logLevel}: {formatter(state, exception)}";
            provider.Write(exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }
    }
}
