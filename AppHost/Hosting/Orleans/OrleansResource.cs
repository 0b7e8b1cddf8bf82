using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.AppHost.Hosting.Orleans;

/// <summary>
/// An Orleans cluster (Aspire's <c>AddOrleans</c>): nothing runs, it only configures the projects that
/// reference it as silos or as clients, with Aspire's <c>Orleans__*</c> settings.
/// </summary>
public sealed class OrleansResource(string name) : Resource(name)
{
    public string ClusterId { get; internal set; } = name;

    public string ServiceId { get; internal set; } = name;

    /// <summary>Membership store; Orleans reads its connection string by <c>Orleans:Clustering:ServiceKey</c>.</summary>
    public IResourceWithConnectionString? Clustering { get; internal set; }

    internal override Task StartAsync(StackContext context, CancellationToken cancellationToken)
    {
        State = ResourceState.Running;
        return Task.CompletedTask;
    }

    internal override Task StopAsync(StackContext context)
    {
        State = ResourceState.Stopped;
        return Task.CompletedTask;
    }
}
