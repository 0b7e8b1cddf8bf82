namespace Webhooks.AppHost.Hosting.Logging;

/// <summary>Where resource log lines go: the console for the AppHost, a test's output for tests.</summary>
public interface ILogSink
{
    void Write(string source, string line);
}
