using Webhooks.AppHost.Hosting.Logging;

namespace Webhooks.Benchmarks.Stack;

/// <summary>The stack's log lines go to a file: on the console they would cost the generator CPU and hide the figures.</summary>
public sealed class QuietLogSink(string path) : ILogSink, IDisposable
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
