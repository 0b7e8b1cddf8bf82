using System.Collections.Concurrent;
using Webhooks.AppHost.Hosting.Logging;

namespace Webhooks.UnitTests.AppHost;

internal sealed class CollectingLogSink : ILogSink
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Write(string source, string line) => Lines.Enqueue($"{source} | {line}");
}
