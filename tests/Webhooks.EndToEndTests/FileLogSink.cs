using Webhooks.AppHost.Hosting.Logging;

namespace Webhooks.EndToEndTests;

/// <summary>Keeps the stack's log in a file: xunit hides console output, and a failing run needs the services' lines.</summary>
public sealed class FileLogSink(string path) : ILogSink, IDisposable
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly Lock _lock = new();

    public string Path { get; } = path;

    public void Write(string source, string line)
    {
        lock (_lock)
        {
            _writer.WriteLine($"{source,-12} | {line}");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer.Dispose();
        }
    }
}
