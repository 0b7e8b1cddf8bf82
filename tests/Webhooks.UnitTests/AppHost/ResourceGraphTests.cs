using Webhooks.AppHost.Hosting;
using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Resources;
using Webhooks.AppHost.Hosting.Testing;

namespace Webhooks.UnitTests.AppHost;

public sealed class ResourceGraphTests : IDisposable
{
    private readonly TemporaryDirectory _data = new();

    [Fact]
    public void TheStackStartsEachResourceAfterEverythingItWaitsFor()
    {
        var order = Names(Declared().StartOrder);

        Assert.True(order.IndexOf("postgres") < order.IndexOf("webhooks"));
        Assert.True(order.IndexOf("webhooks") < order.IndexOf("receiver"));
        Assert.True(order.IndexOf("redis") < order.IndexOf("receiver"));
        Assert.True(order.IndexOf("receiver") < order.IndexOf("dashboard"));
        Assert.True(order.IndexOf("webhooks") < order.IndexOf("dashboard"));
    }

    [Fact]
    public void TheStackStopsInReverseStartOrder()
    {
        var graph = new ResourceGraph(Declared().Resources);

        Assert.Equal(Names(graph.StartOrder).AsEnumerable().Reverse(), Names(graph.StopOrder));
        Assert.Equal("dashboard", graph.StopOrder.First().Name);
    }

    [Fact]
    public void ResourcesThatWaitForNothingKeepDeclarationOrder()
    {
        var builder = DistributedApplicationTestingBuilder.Create(new StackOptions { DataDirectory = _data.Path });
        var a = builder.AddResource(new FakeResource("a"));
        var b = builder.AddResource(new FakeResource("b"));
        var c = builder.AddResource(new FakeResource("c"));
        a.WaitFor(c);

        var order = Names(new ResourceGraph([a.Resource, b.Resource, c.Resource]).StartOrder);

        Assert.Equal(["c", "a", "b"], order);
    }

    [Fact]
    public void ResourcesWaitingForEachOtherInACycleAreRejectedNamingTheCycle()
    {
        var builder = DistributedApplicationTestingBuilder.Create(new StackOptions { DataDirectory = _data.Path });
        var a = builder.AddResource(new FakeResource("a"));
        var b = builder.AddResource(new FakeResource("b"));
        var c = builder.AddResource(new FakeResource("c"));
        a.WaitFor(b);
        b.WaitFor(c);
        c.WaitFor(a);

        var failure = Assert.Throws<StartupException>(() => builder.Build());

        Assert.Equal(FailureMessages.WaitForCycle(["a", "b", "c", "a"]), failure.Message);
    }

    [Fact]
    public async Task StartingRunsDependentsOnlyAfterTheirDependenciesAreRunning()
    {
        var builder = DistributedApplicationBuilder.FromOptions(new StackOptions { DataDirectory = _data.Path, LogSink = new CollectingLogSink() });
        var first = new RecordingResource("first");
        var second = new RecordingResource("second", first);
        builder.AddResource(second).WaitFor(builder.AddResource(first));

        await using var running = builder.Build();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await running.StartAsync(deadline.Token);

        Assert.Equal(ResourceState.Running, second.StateOfDependencyWhenStarted);
    }

    public void Dispose() => _data.Dispose();

    private DistributedApplication Declared() =>
        DistributedApplicationTestingBuilder.Create(new StackOptions { DataDirectory = _data.Path, LogSink = new CollectingLogSink() }).Build();

    private static List<string> Names(IEnumerable<Resource> resources) => [.. resources.Select(r => r.Name)];

    private sealed class RecordingResource(string name, Resource? dependency = null) : Resource(name)
    {
        public ResourceState? StateOfDependencyWhenStarted { get; private set; }

        internal override async Task StartAsync(StackContext context, CancellationToken cancellationToken)
        {
            StateOfDependencyWhenStarted = dependency?.State;
            await Task.Yield();
            State = ResourceState.Running;
        }

        internal override Task StopAsync(StackContext context)
        {
            State = ResourceState.Stopped;
            return Task.CompletedTask;
        }
    }
}
