using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Webhooks.AppHost.Hosting.Processes;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Resources;

namespace Webhooks.EndToEndTests;

/// <summary>The stack as a developer gets it from <c>dotnet run --project AppHost -- --replicas 2</c>.</summary>
[Collection(StackCollection.Name)]
[TestCaseOrderer(PriorityOrderer.TypeName, PriorityOrderer.AssemblyName)]
public sealed class StackTests(StackFixture stack)
{
    [Fact]
    [Priority(1)]
    public async Task EveryResourceIsHealthy()
    {
        foreach (var name in new[] { "postgres", "webhooks", "redis", "receiver", "dashboard" })
        {
            Assert.Equal(ResourceState.Running, stack.App.GetResource(name).State);
        }

        var endpoints = Enumerable.Range(0, StackFixture.Replicas).Select(i => stack.App.GetEndpoint("receiver", i)).Append(stack.App.GetEndpoint("dashboard"));
        foreach (var endpoint in endpoints)
        {
            using var response = await stack.Http.GetAsync(new Uri(endpoint, "/health"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    [Priority(2)]
    public async Task TheReceiverReplicasFormOneClusterOfTwoActiveSilos()
    {
        var silos = await Eventually.ReturnsAsync(
            async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(stack.App.GetEndpoint("receiver", 0), "/api/cluster"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.App.AdminToken);
                using var response = await stack.Http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return null;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var active = json.RootElement.GetProperty("silos").EnumerateArray()
                    .Where(s => s.GetProperty("status").GetString() == "Active")
                    .Select(s => s.GetProperty("address").GetString()!)
                    .ToList();
                return active.Count == StackFixture.Replicas ? active : null;
            },
            TimeSpan.FromSeconds(90),
            "GET /api/cluster listing 2 active silos");

        Assert.Equal(2, silos.Distinct().Count());
    }

    [Fact]
    [Priority(3)]
    public async Task TheDashboardLoginPageAnswersWithHtml()
    {
        using var response = await stack.Http.GetAsync(new Uri(stack.App.GetEndpoint("dashboard"), "/login"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    [Priority(4)]
    public async Task AReceiverReplicaThatCrashesIsRestartedAndBecomesHealthyAgain()
    {
        var receiver = stack.App.GetResource<ProjectResource>("receiver");
        var before = receiver.ProcessIds;
        var victim = before[^1];

        Process.GetProcessById(victim).Kill();

        var replaced = await Eventually.ReturnsAsync(
            () => Task.FromResult(receiver.ProcessIds.Count == before.Count && !receiver.ProcessIds.Contains(victim) ? receiver.ProcessIds : null),
            TimeSpan.FromSeconds(30),
            "a new receiver process");
        await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await stack.Http.GetAsync(new Uri(stack.App.GetEndpoint("receiver", StackFixture.Replicas - 1), "/health"));
                return response.StatusCode == HttpStatusCode.OK ? response : null;
            },
            TimeSpan.FromSeconds(120),
            "the restarted replica answering /health");

        Assert.Equal(before.Count, replaced.Count);
    }

    [Fact]
    [Priority(100)]
    public async Task StoppingTheStackLeavesNoProcessBehind()
    {
        var processes = stack.App.ProcessIdsEverStarted;
        Assert.True(processes.Count >= StackFixture.Replicas + 2, $"expected postgres, {StackFixture.Replicas} receivers and the dashboard, recorded {processes.Count}");

        await stack.App.StopAsync();

        Assert.DoesNotContain(processes, Posix.IsAlive);
        foreach (var name in new[] { "postgres", "redis", "receiver", "dashboard" })
        {
            Assert.Equal(ResourceState.Stopped, stack.App.GetResource(name).State);
        }
    }
}
