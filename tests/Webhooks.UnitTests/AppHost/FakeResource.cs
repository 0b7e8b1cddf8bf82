using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.UnitTests.AppHost;

/// <summary>A resource that runs nothing, for graph tests.</summary>
internal sealed class FakeResource(string name) : Resource(name)
{
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
