using Aspire.Hosting.ApplicationModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

/// <summary>
/// Failures after Bitbucket got its answer, as an operator finds them: a notify target that refuses connections shows
/// on the Overview's "needs attention", on the Warehouses list and on the warehouse page (grouped per Freight with the
/// next retry), and a Freight leads to the delivery that announced it and back. Also the narrow (390 px) layout.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class FailureVisibilityTests(StackFixture stack)
{
    /// <summary>The README's screenshots, copied to docs/images/ from here.</summary>
    public static readonly string OverviewScreenshot = Path.Combine(DashboardPage.ScreenshotDirectory, "overview-attention.png");

    public static readonly string WarehouseScreenshot = Path.Combine(DashboardPage.ScreenshotDirectory, "warehouse-failing-target.png");

    public static readonly string NarrowScreenshot = Path.Combine(DashboardPage.ScreenshotDirectory, "narrow.png");

    [Fact]
    public async Task AFailingNotifyTargetShowsOnTheOverviewTheWarehousesListAndItsFreightLeadsToTheDelivery()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(AFailingNotifyTargetShowsOnTheOverviewTheWarehousesListAndItsFreightLeadsToTheDelivery), width: 1440, height: 900);
        var page = dashboard.Page;
        using var bitbucket = new BitbucketSender(stack);
        var project = ManagementSteps.UniqueProject("failing");
        var receiverUrl = await bitbucket.CreateReceiverAsync(project, "cloud");
        await CreateWarehouseAsync(project, "deploy", $"https://bitbucket.org/{bitbucket.Repository}", $"http://127.0.0.1:{ClosedPort()}/hooks/freight");

        var (accepted, deliveryId) = await bitbucket.SendCloudPushAsync(receiverUrl);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var (rejected, _) = await bitbucket.SendCloudPushAsync(receiverUrl, secret: "not the receiver's secret");
        Assert.Equal(HttpStatusCode.Unauthorized, rejected.StatusCode);

        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/");
        var target = page.Locator($"[data-testid=attention-target][data-project='{project}'][data-warehouse='deploy']");
        await Expect(target).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(target).ToContainTextAsync("failing since");
        await Expect(target.GetByTestId("waiting")).ToHaveTextAsync("1 Freight waiting");
        var reason = page.GetByTestId("rejection-reason").Filter(new() { HasText = "signature" });
        await Expect(reason.First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("rejections-link")).ToHaveAttributeAsync("href", "/deliveries?outcome=rejected&range=1h");
        await page.ScreenshotAsync(new() { Path = OverviewScreenshot, FullPage = true });

        // The log says it once, naming project, warehouse and target, and not once per retry.
        await stack.WaitForLogAsync("receiver", line => line.Contains($"of warehouse {project}/deploy is failing", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var receiverLog = stack.ResourceLog("receiver");
        Assert.Single(receiverLog, line => line.Contains($"of warehouse {project}/deploy is failing", StringComparison.Ordinal));
        Assert.DoesNotContain(receiverLog, line => line.Contains("OnRetry", StringComparison.Ordinal) && line.Contains("FreightNotifications", StringComparison.Ordinal));

        await dashboard.GotoAsync($"/warehouses?project={project}");
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouses");
        var listed = page.Locator("[data-testid=warehouse][data-warehouse='deploy']");
        await Expect(listed.GetByTestId("notify-state")).ToHaveAttributeAsync("data-status", "failing");
        await Expect(listed.GetByTestId("notification-health")).ToContainTextAsync("1 Freight waiting");
        await Expect(listed.GetByTestId("last-refresh")).ToHaveAttributeAsync("data-status", "succeeded");
        await dashboard.ScreenshotAsync("warehouses-failing");

        await target.Page.GotoAsync($"/warehouses/{project}/deploy");
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouse");
        var notification = page.GetByTestId("notification-row");
        await Expect(notification).ToHaveCountAsync(1);
        await Expect(notification).ToHaveAttributeAsync("data-status", "pending");
        await Expect(notification.GetByTestId("next-retry")).Not.ToHaveTextAsync("—", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("notifications-page")).ToContainTextAsync("Page 1 of 1");
        var announcedBy = page.Locator($"[data-testid=freight-delivery][data-delivery-id='{deliveryId}']");
        await Expect(announcedBy).ToHaveTextAsync(deliveryId.ToString());
        await page.ScreenshotAsync(new() { Path = WarehouseScreenshot, FullPage = true });

        await announcedBy.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/deliveries/{deliveryId}$"));
        var produced = page.GetByTestId("freight-row");
        await Expect(produced).ToHaveAttributeAsync("data-commit", BitbucketPush.FixtureCommit);
        await Expect(produced.GetByTestId("freight-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"^/warehouses/{project}/deploy#freight-"));
        await dashboard.ScreenshotAsync("delivery-freight");

        // The repository search finds the push by any part of its key.
        await dashboard.GotoAsync($"/deliveries?repository={Uri.EscapeDataString(bitbucket.Repository.ToUpperInvariant())}");
        await dashboard.WaitForCircuitAsync();
        await Expect(page.Locator($"[data-testid=delivery-link][data-delivery-id='{deliveryId}']")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("repository").First).ToHaveTextAsync($"bitbucket.org/{bitbucket.Repository}");
        await dashboard.ScreenshotAsync("deliveries-by-repository");
    }

    [Fact]
    public async Task AReplicaKilledShowsOnTheOverviewAsLostOnceItsStartCommandBroughtItBack()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(AReplicaKilledShowsOnTheOverviewAsLostOnceItsStartCommandBroughtItBack), width: 1440, height: 900);

        // kill -9, as an operator's crash; Aspire shows the replica ended and its Start command brings it back (the
        // chaos tests' replica fault). Tests run one at a time, so the others find the cluster whole again.
        var victim = stack.Stack.Processes.Instances("receiver")[^1];
        stack.Stack.Processes.Kill(victim);
        await Eventually.HoldsAsync(() => Task.FromResult(stack.Stack.Processes.HasEnded(victim)), TimeSpan.FromMinutes(2), $"{victim} reported as ended");
        await stack.Stack.CommandAsync(victim, KnownResourceCommands.StartCommand);
        await stack.WaitForActiveSilosAsync(TimeSpan.FromMinutes(3));

        // The killed silo stays in Orleans' membership as Dead: the Overview names it with its last sign of life.
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/");
        var lost = dashboard.Page.Locator("[data-testid=attention-replica][data-lost=true]");
        await Expect(lost.First).ToBeVisibleAsync(new() { Timeout = 90_000 });
        await Expect(lost.First).ToContainTextAsync("declared dead, last alive");
        await Expect(lost.First.GetByTestId("attention-kind")).ToHaveTextAsync("replica lost");
        await dashboard.ScreenshotAsync("replica-lost");
    }

    [Fact]
    public async Task At390PixelsTheNavigationFoldsAndNoPageScrollsSideways()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(At390PixelsTheNavigationFoldsAndNoPageScrollsSideways), width: 390, height: 844);
        var page = dashboard.Page;
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/");

        var nav = page.GetByTestId("main-nav");
        await Expect(nav).ToBeHiddenAsync();
        await page.GetByTestId("nav-toggle").ClickAsync();
        await Expect(nav).ToBeVisibleAsync();
        await Expect(page.GetByTestId("nav-deliveries")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = NarrowScreenshot, FullPage = false });
        await page.GetByTestId("nav-toggle").ClickAsync();
        await Expect(nav).ToBeHiddenAsync();

        foreach (var path in new[] { "/", "/deliveries", "/receivers", "/warehouses", "/tokens", "/smart-commits" })
        {
            await dashboard.GotoAsync(path);
            await dashboard.WaitForCircuitAsync();
            await Expect(page.Locator("main")).ToBeVisibleAsync();
            var (scrollWidth, innerWidth) = await WidthsAsync(page);
            Assert.True(scrollWidth <= innerWidth,
                $"{path} scrolls sideways at 390 px: {scrollWidth} px wide in a {innerWidth} px window; past the edge: {await OverflowingAsync(page)}");
            await dashboard.ScreenshotAsync($"narrow{path.Replace('/', '-')}");
        }
    }

    private static async Task<(int ScrollWidth, int InnerWidth)> WidthsAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        return (widths[0], widths[1]);
    }

    /// <summary>The innermost elements reaching past the window's right edge, to name the culprit in a failure.</summary>
    private static Task<string> OverflowingAsync(IPage page) =>
        page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                    && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                .slice(0, 5)
                .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}[${Math.round(e.getBoundingClientRect().right)}]`)
                .join(', ')
            """);

    /// <summary>A loopback port nothing listens on: the notify target refuses every connection, as a stopped CI server does.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task CreateWarehouseAsync(string project, string name, string repoUrl, string notifyUrl)
    {
        using var client = new HttpClient { BaseAddress = stack.ReceiverUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.AdminToken);
        using var response = await client.PostAsJsonAsync($"/api/projects/{project}/warehouses", new
        {
            name,
            subscriptions = new[] { new { repoUrl, branch = "feature/*" } },
            notify = new { url = notifyUrl },
        });
        Assert.True(response.IsSuccessStatusCode, $"creating the warehouse answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
