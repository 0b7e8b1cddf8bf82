using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class ClusterTests(StackFixture stack)
{
    [Fact]
    public async Task EveryReplicaShowsItsSiloAndUptimeAndTheOrleansDashboardHasLiveData()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(EveryReplicaShowsItsSiloAndUptimeAndTheOrleansDashboardHasLiveData));

        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.GotoAsync("/resources");
        await dashboard.WaitForCircuitAsync();

        for (var replica = 0; replica < StackFixture.ReceiverReplicas; replica++)
        {
            var row = dashboard.Resource($"receiver-{replica}");
            await Expect(row.GetByTestId("silo")).ToHaveAttributeAsync("data-silo-status", "Active");
            await Expect(row.GetByTestId("uptime")).ToHaveTextAsync(new Regex(@"^\d+ (s|min|h|d)$"));
        }

        await Expect(dashboard.Resource("postgres").GetByTestId("uptime")).ToHaveTextAsync(new Regex(@"^\d+ (s|min|h|d)$"));
        await Expect(dashboard.Resource("dashboard").GetByTestId("uptime")).ToHaveTextAsync(new Regex(@"^\d+ (s|min|h|d)$"));
        await Expect(dashboard.Page.GetByTestId("cluster-summary")).ToContainTextAsync($"{StackFixture.ReceiverReplicas} active silos");
        await dashboard.ScreenshotAsync("resources");

        await dashboard.Page.GetByTestId("orleans-link").ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/orleans/?$"));
        // The Orleans dashboard is a script page of its own: its overview counts the silos once its first data call returns.
        await Expect(dashboard.Page.Locator("main")).ToContainTextAsync(
            new Regex($@"Active Silos\s*{StackFixture.ReceiverReplicas}(?!\d)"), new() { Timeout = 30_000 });
        await dashboard.ScreenshotAsync("orleans");

        // The page answers 200 even when its data calls fail: the counters must name every replica's silo.
        var counters = await dashboard.Page.APIRequest.GetAsync("/orleans/DashboardCounters");
        Assert.Equal(200, counters.Status);
        using var json = JsonDocument.Parse(await counters.TextAsync());
        var silos = json.RootElement.GetProperty("hosts").EnumerateArray()
            .Where(host => host.GetProperty("status").GetString() == "Active")
            .Select(host => host.GetProperty("siloName").GetString())
            .Order()
            .ToList();
        Assert.Equal([.. Enumerable.Range(0, StackFixture.ReceiverReplicas).Select(i => $"receiver-{i}")], silos);
        Assert.True(json.RootElement.GetProperty("totalActivationCount").GetInt32() > 0);
    }

    [Fact]
    public async Task TheOrleansDashboardAndItsDataNeedASignIn()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(TheOrleansDashboardAndItsDataNeedASignIn));

        await dashboard.GotoAsync("/orleans/");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl="));

        var counters = await dashboard.Page.APIRequest.GetAsync("/orleans/DashboardCounters", new() { MaxRedirects = 0 });
        Assert.Equal(302, counters.Status);
    }
}
