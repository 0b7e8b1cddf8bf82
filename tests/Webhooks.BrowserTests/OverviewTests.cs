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

    [Fact]
    public async Task EveryFigureFitsItsCardAtEveryWindowWidth()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(EveryFigureFitsItsCardAtEveryWindowWidth), width: 1440);
        using var bitbucket = new BitbucketSender(stack);
        var receiverUrl = await bitbucket.CreateReceiverAsync($"fit-{Guid.NewGuid():N}"[..12], "cloud");
        await bitbucket.SendCloudPushAsync(receiverUrl);
        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("kpi-latency").GetByTestId("value")).Not.ToContainTextAsync("—");

        // Every width from a wide desktop down to a tablet, 20 px apart: the cards are narrowest just before the grid
        // drops a column, wherever that falls for these figures.
        var overflowing = new List<string>();
        for (var width = 1440; width >= 640; width -= 20)
        {
            await dashboard.Page.SetViewportSizeAsync(width, 800);
            var past = await dashboard.Page.Locator(".kpi").EvaluateAllAsync<string[]>("""
                cards => cards.flatMap(card => [...card.querySelectorAll('.kpi-value')]
                    .filter(value => value.scrollWidth > value.clientWidth
                        || value.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5)
                    .map(value => `${card.dataset.testid}: "${value.textContent.replace(/\s+/g, " ").trim()}" needs ${value.scrollWidth} px, has ${value.clientWidth}`))
                """);
            overflowing.AddRange(past.Select(p => $"{width} px: {p}"));
        }

        Assert.True(overflowing.Count == 0, string.Join("; ", overflowing.Take(5)));
    }

    private static async Task<long> CountAsync(DashboardPage dashboard, string kpi) =>
        long.Parse(
            (await dashboard.Page.GetByTestId(kpi).GetByTestId("value").TextContentAsync())!.Trim().Replace(",", "", StringComparison.Ordinal),
            CultureInfo.InvariantCulture);
}
