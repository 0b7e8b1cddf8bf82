using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Webhooks.Testing;

/// <summary>
/// The operating-system processes behind a resource, as Aspire reports them (the pid of each replica), with their
/// descendants: <c>dotnet run</c> starts the service as its child, <c>postgres.sh</c> starts the postmaster, which
/// starts a backend per connection. Faults a test injects act on the whole tree.
/// </summary>
public sealed partial class ResourceProcesses : IDisposable
{
    private const string PidProperty = "executable.pid";
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Follows Aspire's resource notifications: the instances of every resource and their processes.</summary>
    public ResourceProcesses(DistributedApplication app) => _ = WatchAsync(app, _stop.Token);

    /// <summary>The names of a resource's instances (one per replica, e.g. <c>receiver-x2bq7a</c>).</summary>
    public IReadOnlyList<string> Instances(string resource) =>
        [.. _latest.Values.Where(e => e.Resource.Name == resource).Select(e => e.ResourceId).Order()];

    /// <summary>The latest state Aspire reported for an instance (<see cref="KnownResourceStates"/>).</summary>
    public string? State(string instance) => _latest.TryGetValue(instance, out var resourceEvent) ? resourceEvent.Snapshot.State?.Text : null;

    /// <summary>Whether Aspire reports the instance ended (exited, finished, failed to start): e.g. after a kill -9.</summary>
    public bool HasEnded(string instance) => State(instance) is { } state && KnownResourceStates.TerminalStates.Contains(state);

    /// <summary>The latest health Aspire reported for an instance (null while it has no health checks to report).</summary>
    public HealthStatus? Health(string instance) => _latest.TryGetValue(instance, out var resourceEvent) ? resourceEvent.Snapshot.HealthStatus : null;

    /// <summary>The process Aspire started for an instance, or null while it has none (stopped, exited, starting).</summary>
    public int? ProcessId(string instance) =>
        _latest.TryGetValue(instance, out var resourceEvent)
        && resourceEvent.Snapshot.State?.Text == KnownResourceStates.Running
        && resourceEvent.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value
        && int.TryParse(value.ToString(), out var pid)
            ? pid
            : null;

    /// <summary>
    /// The service itself behind an instance: DCP runs a project as <c>dotnet run --no-build</c>, and the service is that
    /// process's child, what CPU, memory and EventPipe readings must look at; for an executable, the process Aspire
    /// reports. Null while there is none (stopped, or <c>dotnet run</c> has not started the service yet).
    /// </summary>
    public int? ServiceProcessId(string instance)
    {
        if (ProcessId(instance) is not { } pid)
        {
            return null;
        }

        if (!_latest.TryGetValue(instance, out var resourceEvent) || resourceEvent.Resource is not ProjectResource)
        {
            return pid;
        }

        var children = Children(pid).Where(IsAlive).ToList();
        return children.Count == 1 ? children[0] : null;
    }

    /// <summary>The service processes of every running instance of a resource (<see cref="ServiceProcessId"/>).</summary>
    public IReadOnlyList<int> ServiceProcesses(string resource) => [.. Instances(resource).Select(ServiceProcessId).OfType<int>()];

    /// <summary>Every live process of a resource's instances, each with its descendants.</summary>
    public IReadOnlyList<int> Tree(string resource) =>
        [.. Instances(resource).Select(ProcessId).OfType<int>().SelectMany(WithDescendants)];

    /// <summary>kill -9 of an instance's whole process tree: a crash, not a stop.</summary>
    public void Kill(string instance)
    {
        var pid = ProcessId(instance) ?? throw new InvalidOperationException($"{instance} has no running process");
        foreach (var process in WithDescendants(pid).Reverse())
        {
            _ = Signal(process, SigKill);
        }
    }

    /// <summary>
    /// SIGSTOP of every process of a resource until the returned handle is disposed (SIGCONT): it keeps its sockets and
    /// answers nothing, as behind a dropped network.
    /// </summary>
    public IDisposable Freeze(string resource)
    {
        var frozen = Tree(resource);
        if (frozen.Count == 0)
        {
            throw new InvalidOperationException($"{resource} has no running process to freeze");
        }

        foreach (var pid in frozen)
        {
            _ = Signal(pid, SigStop);
        }

        return new Thaw(frozen);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task WatchAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var resourceEvent in app.ResourceNotifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                _latest[resourceEvent.ResourceId] = resourceEvent;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The process exists and is not a zombie (ended, not yet reaped by its parent).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A process and every process below it, parents first.</summary>
    public static IReadOnlyList<int> WithDescendants(int pid)
    {
        var all = new List<int> { pid };
        for (var i = 0; i < all.Count; i++)
        {
            all.AddRange(Children(all[i]));
        }

        return all;
    }

    /// <summary>A process's children (of all its threads), from <c>/proc/{pid}/task/*/children</c>.</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var file = Path.Combine(task, "children");
                if (File.Exists(file))
                {
                    children.AddRange(File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process or one of its threads ended while being read.
        }

        return children;
    }

    private sealed class Thaw(IReadOnlyList<int> frozen) : IDisposable
    {
        public void Dispose()
        {
            foreach (var pid in frozen)
            {
                _ = Signal(pid, SigCont);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Signal(int pid, int signal);
}
