using System.Globalization;
using System.Net;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class OverviewTests(StackFixture stack)
{
    [Fact]
    public async Task APushAndARejectionShowUpInTheCountsTheChartAndTheLatestFailures()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(APushAndARejectionShowUpInTheCountsTheChartAndTheLatestFailures));
        using var bitbucket = new BitbucketSender(stack);
        var project = $"over-{Guid.NewGuid():N}"[..13];
        var receiverUrl = await bitbucket.CreateReceiverAsync(project, "cloud");

        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.WaitForCircuitAsync();
        var before = await CountAsync(dashboard, "kpi-deliveries");

        var (accepted, _) = await bitbucket.SendCloudPushAsync(receiverUrl);
        var (rejected, rejectedId) = await bitbucket.SendCloudPushAsync(receiverUrl, secret: "not the secret");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);

        // Live: the page reads again on its own, no reload.
        var failure = dashboard.Page.Locator("[data-testid=failure]", new() { Has = dashboard.Page.Locator($"a[href='/deliveries/{rejectedId}']") });
        await Expect(failure).ToBeVisibleAsync();
        await Expect(failure.GetByTestId("reason")).ToContainTextAsync("signature");
        await Expect(failure).ToContainTextAsync($"{project} · cloud");
        Assert.True(await CountAsync(dashboard, "kpi-deliveries") >= before + 2);
        await Expect(dashboard.Page.GetByTestId("kpi-error-rate").GetByTestId("value")).Not.ToHaveTextAsync("—");
        await Expect(dashboard.Page.GetByTestId("kpi-latency").GetByTestId("value")).Not.ToContainTextAsync("— /");

        var chart = dashboard.Page.GetByTestId("deliveries-chart");
        await Expect(chart.Locator("rect[data-series=Accepted]").First).ToBeAttachedAsync();
        await Expect(chart.Locator("rect[data-series=Rejected]").First).ToBeAttachedAsync();
        Assert.True(long.Parse((await chart.GetAttributeAsync("data-total"))!, CultureInfo.InvariantCulture) >= 2);
        await dashboard.ScreenshotAsync("overview");
    }

    private static async Task<long> CountAsync(DashboardPage dashboard, string kpi) =>
        long.Parse(
            (await dashboard.Page.GetByTestId(kpi).GetByTestId("value").TextContentAsync())!.Trim().Replace(",", "", StringComparison.Ordinal),
            CultureInfo.InvariantCulture);
}
