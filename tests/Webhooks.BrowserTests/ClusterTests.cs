using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class ClusterTests(StackFixture stack)
{
    [Fact]
    public async Task TheNavsOrleansLinkOpensTheOrleansDashboardWithASiloActivePerReplicaAndLiveData()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(TheNavsOrleansLinkOpensTheOrleansDashboardWithASiloActivePerReplicaAndLiveData));

        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.WaitForCircuitAsync();
        var orleans = dashboard.Page.GetByTestId("nav-orleans");
        await Expect(orleans).ToContainTextAsync("Orleans cluster");
        await dashboard.ScreenshotAsync("overview");

        await orleans.ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/orleans/?$"));
        // The Orleans dashboard is a script page of its own: its overview counts the silos once its first data call returns.
        await Expect(dashboard.Page.Locator("main")).ToContainTextAsync(
            new Regex($@"Active Silos\s*{StackFixture.ReceiverReplicas}(?!\d)"), new() { Timeout = 30_000 });
        await dashboard.ScreenshotAsync("orleans");

        // The page answers 200 even when its data calls fail: the counters must list an Active silo for every replica.
        var counters = await dashboard.Page.APIRequest.GetAsync("/orleans/DashboardCounters");
        Assert.Equal(200, counters.Status);
        using var json = JsonDocument.Parse(await counters.TextAsync());
        var active = json.RootElement.GetProperty("hosts").EnumerateArray()
            .Where(host => host.GetProperty("status").GetString() == "Active")
            .Select(host => host.GetProperty("siloName").GetString())
            .ToList();
        Assert.Equal(StackFixture.ReceiverReplicas, active.Count);
        Assert.Equal(StackFixture.ReceiverReplicas, active.Distinct().Count());
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
