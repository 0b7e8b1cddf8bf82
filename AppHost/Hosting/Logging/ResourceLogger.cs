namespace Webhooks.AppHost.Hosting.Logging;

/// <summary>Writes one resource's lines to the console, prefixed with its name, and keeps the last ones.</summary>
public sealed class ResourceLogger(string name)
{
    private const int Kept = 40;
    private readonly Queue<string> _recent = new();
    private ILogSink _sink = ConsoleLogSink.Null;

    public string Name { get; } = name;

    public IReadOnlyList<string> RecentLines
    {
        get
        {
            lock (_recent)
            {
                return [.. _recent];
            }
        }
    }

    internal void AttachTo(ILogSink sink) => _sink = sink;

    public void WriteLine(string line)
    {
        lock (_recent)
        {
            if (_recent.Count == Kept)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(line);
        }

        _sink.Write(Name, line);
    }
}
