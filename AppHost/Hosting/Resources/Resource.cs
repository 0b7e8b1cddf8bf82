using Webhooks.AppHost.Hosting.Logging;

namespace Webhooks.AppHost.Hosting.Resources;

/// <summary>
/// A named part of the stack (Aspire's resource): declared by <c>Program.Declare</c>, prepared (ports, secrets)
/// before anything starts, started once every resource it waits for is healthy, stopped in reverse order.
/// </summary>
public abstract class Resource(string name)
{
    private volatile ResourceState _state = ResourceState.NotStarted;

    public string Name { get; } = name;

    public ResourceState State
    {
        get => _state;
        internal set => _state = value;
    }

    /// <summary>Resources that must be healthy before this one starts (<c>WaitFor</c>, plus a parent).</summary>
    public IReadOnlyList<Resource> Dependencies => [.. ImplicitDependencies, .. WaitsFor];

    internal List<Resource> WaitsFor { get; } = [];

    internal virtual IEnumerable<Resource> ImplicitDependencies => [];

    public ResourceLogger Logger { get; } = new(name);

    /// <summary>Ids of the processes this resource runs now.</summary>
    public virtual IReadOnlyList<int> ProcessIds => [];

    /// <summary>Ids of every process this resource has started (restarts included).</summary>
    public virtual IReadOnlyList<int> ProcessIdsEverStarted => [];

    /// <summary>The last lines this resource wrote, for failure messages.</summary>
    public virtual IReadOnlyList<string> RecentLogLines => Logger.RecentLines;

    /// <summary>Allocates ports and loads or creates secrets; starts nothing.</summary>
    internal virtual void Prepare(StackContext context)
    {
    }

    /// <summary>Starts the resource and returns once it is healthy.</summary>
    internal abstract Task StartAsync(StackContext context, CancellationToken cancellationToken);

    /// <summary>Stops whatever <see cref="StartAsync"/> started; safe to call when it never started.</summary>
    internal abstract Task StopAsync(StackContext context);

    public override string ToString() => Name;
}
