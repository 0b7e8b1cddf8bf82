using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Webhooks.Testing;

namespace Webhooks.EndToEndTests;

/// <summary>The stack as a developer gets it from <c>dotnet run --project AppHost -- --replicas 2</c>.</summary>
[Collection(StackCollection.Name)]
[TestCaseOrderer(PriorityOrderer.TypeName, PriorityOrderer.AssemblyName)]
public sealed class StackTests(StackFixture fixture)
{
    private static readonly string[] Resources = ["postgres", "redis", "receiver", "dashboard"];

    private AppHostStack Stack => fixture.Stack;

    [Fact]
    [Priority(1)]
    public async Task EveryResourceIsRunningAndHealthyInAspire()
    {
        foreach (var resource in Resources)
        {
            var instances = Stack.Processes.Instances(resource);
            Assert.Equal(resource == "receiver" ? StackFixture.Replicas : 1, instances.Count);
            foreach (var instance in instances)
            {
                Assert.Equal(KnownResourceStates.Running, Stack.Processes.State(instance));
                Assert.Equal(HealthStatus.Healthy, Stack.Processes.Health(instance));
            }
        }

        foreach (var endpoint in new[] { Stack.Receiver, Stack.Dashboard })
        {
            using var response = await fixture.Http.GetAsync(new Uri(endpoint, "/health"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    [Priority(2)]
    public async Task TheReceiverReplicasFormOneClusterOfTwoActiveSilos()
    {
        var silos = await ClusterHealth.WaitUntilHealthyAsync(Stack, StackFixture.Replicas, TimeSpan.FromSeconds(90));

        Assert.Equal(StackFixture.Replicas, silos.Distinct().Count());
    }

    [Fact]
    [Priority(3)]
    public async Task TheDashboardLoginPageAnswersWithHtml()
    {
        using var response = await fixture.Http.GetAsync(new Uri(Stack.Dashboard, "/login"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    [Priority(4)]
    public async Task AReplicaKilledWithKill9ShowsAsEndedInAspireAndItsStartCommandBringsItBackIntoTheCluster()
    {
        var victim = Stack.Processes.Instances("receiver")[^1];
        var pid = Stack.Processes.ProcessId(victim)!.Value;

        Stack.Processes.Kill(victim);

        await Eventually.UntilAsync(
            () => Task.FromResult(Stack.Processes.HasEnded(victim)),
            ended => ended,
            TimeSpan.FromSeconds(60),
            $"{victim} reported as ended");
        Assert.False(ResourceProcesses.IsAlive(pid));

        // What an operator does in the Aspire dashboard: the replica's Start button.
        await Stack.CommandAsync(victim, KnownResourceCommands.StartCommand);

        await ClusterHealth.WaitUntilHealthyAsync(Stack, StackFixture.Replicas, TimeSpan.FromMinutes(2));
        Assert.NotEqual(pid, Stack.Processes.ProcessId(victim));
    }

    [Fact]
    [Priority(100)]
    public async Task StoppingTheStackStopsPostgresCleanlyAndLeavesNoProcessBehind()
    {
        var processes = Resources.SelectMany(Stack.Processes.Tree).ToList();
        Assert.True(processes.Count >= StackFixture.Replicas * 2 + 4, $"expected postgres, redis, {StackFixture.Replicas} receivers and the dashboard with their children, found {processes.Count}");

        await Stack.StopAsync();

        await Eventually.UntilAsync(
            () => Task.FromResult(processes.Where(ResourceProcesses.IsAlive).ToList()),
            alive => alive.Count == 0,
            TimeSpan.FromSeconds(30),
            "every process of the stack to end");
        Assert.Equal("shut down", await PostgresCluster.StateAsync(Stack.DataDirectory));
    }
}
