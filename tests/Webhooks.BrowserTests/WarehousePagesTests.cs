using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class WarehousePagesTests(StackFixture stack)
{
    /// <summary>Where the warehouse page's screenshot for the README is saved (copied to docs/images/warehouse.png).</summary>
    public static readonly string ReadmeScreenshot = Path.Combine(DashboardPage.ScreenshotDirectory, "warehouse.png");

    [Fact]
    public async Task AWarehouseCreatedInTheDashboardShowsTheFreightOfASignedPushToItsRepository()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(AWarehouseCreatedInTheDashboardShowsTheFreightOfASignedPushToItsRepository));
        var page = dashboard.Page;
        var project = ManagementSteps.UniqueProject("deploy");
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/receivers");
        await ManagementSteps.CreateProjectAsync(dashboard, project);
        var (url, secret) = await ManagementSteps.CreateReceiverAsync(dashboard, "bitbucket");

        await dashboard.GotoAsync($"/warehouses?project={project}");
        await dashboard.WaitForCircuitAsync();
        await Expect(page.GetByTestId("no-warehouses")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("warehouses-empty");
        await page.GetByTestId("new-warehouse").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/warehouses/new\\?project={project}$"));
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouse-editor");

        // The shared validator's messages appear beside the field they are about.
        var editor = page.GetByTestId("warehouse-editor");
        var subscription = editor.Locator("[data-testid=subscription][data-index='0']");
        await ManagementSteps.FillAsync(editor.GetByTestId("warehouse-name").Locator("input"), "webhook-branches");
        await ManagementSteps.FillAsync(subscription.GetByTestId("repo-url").Locator("input"), "not a repository");
        await ManagementSteps.FillAsync(subscription.GetByTestId("branch").Locator("input"), "feature/*");
        await editor.GetByTestId("save-warehouse").ClickAsync();
        await Expect(subscription.Locator("[data-testid=field-error][data-field='subscriptions[0].repoUrl']")).ToContainTextAsync("Give a Bitbucket repository URL");
        await Expect(page.GetByTestId("failure")).ToContainTextAsync("The warehouse is not valid.");
        await dashboard.ScreenshotAsync("editor-invalid");

        await ManagementSteps.FillAsync(subscription.GetByTestId("repo-url").Locator("input"), BitbucketPush.FixtureRepository);
        await editor.GetByTestId("save-warehouse").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/warehouses/{project}/webhook-branches$"));
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouse");
        await Expect(page.GetByTestId("warehouse-state")).ToHaveAttributeAsync("data-state", "idle");
        await Expect(page.GetByTestId("no-freight")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("subscription-row")).ToContainTextAsync("bitbucket.org/nfalco79/test-repos");
        await dashboard.ScreenshotAsync("warehouse-new");

        using var client = new HttpClient();
        using var response = await BitbucketPush.SendCloudAsync(client, url, BitbucketPush.Fixture("cloud-repo-push-signed.json"), secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, answer.GetProperty("warehouses").GetInt32());

        // The page polls: the Freight and the refresh that found it appear without a reload.
        var freight = page.Locator($"[data-testid=freight-row][data-commit='{BitbucketPush.FixtureCommit}']");
        await Expect(freight).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(freight).ToContainTextAsync("feature/webhook");
        await Expect(page.Locator("[data-testid=timeline-refresh][data-status='succeeded']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=timeline-request][data-reason='push'][data-outcome='refreshed']")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("warehouse-state")).ToHaveAttributeAsync("data-state", "idle");
        await dashboard.ScreenshotAsync("warehouse-freight");

        await page.GetByTestId("refresh-now").ClickAsync();
        await Expect(page.GetByTestId("refresh-requested")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=timeline-request][data-reason='manual']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid=timeline-request][data-reason='manual']")).Not.ToHaveAttributeAsync("data-outcome", "pending", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("warehouse-state")).ToHaveAttributeAsync("data-state", "idle");
        await page.ScreenshotAsync(new() { Path = ReadmeScreenshot, FullPage = true });
        await dashboard.ScreenshotAsync("warehouse-refreshed");

        await page.GetByTestId("back-to-list").ClickAsync();
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouses");
        var listed = page.Locator("[data-testid=warehouse][data-warehouse='webhook-branches']");
        await Expect(listed).ToContainTextAsync(BitbucketPush.FixtureCommit[..10]);
        await dashboard.ScreenshotAsync("warehouses");
    }

    [Fact]
    public async Task EditingAWarehouseKeepsItsSubscriptionsAndShowsTheValidatorsMessageForABadPattern()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(EditingAWarehouseKeepsItsSubscriptionsAndShowsTheValidatorsMessageForABadPattern));
        var page = dashboard.Page;
        var project = ManagementSteps.UniqueProject("edit");
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/warehouses");
        await ManagementSteps.CreateProjectAsync(dashboard, project);
        await page.GetByTestId("new-warehouse").ClickAsync();
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouse-editor");
        var editor = page.GetByTestId("warehouse-editor");
        await ManagementSteps.FillAsync(editor.GetByTestId("warehouse-name").Locator("input"), "releases");
        await ManagementSteps.FillAsync(editor.Locator("[data-testid=subscription][data-index='0']").GetByTestId("repo-url").Locator("input"), "https://bitbucket.org/acme/api.git");
        await editor.GetByTestId("save-warehouse").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/warehouses/{project}/releases$"));
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouse");

        await page.GetByTestId("edit-warehouse").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/warehouses/{project}/releases/edit$"));
        await ManagementSteps.WaitForPageAsync(dashboard, "warehouse-editor");
        await Expect(editor.Locator("[data-testid=subscription][data-index='0']").GetByTestId("repo-url").Locator("input")).ToHaveValueAsync("https://bitbucket.org/acme/api.git");
        await editor.GetByTestId("add-subscription").ClickAsync();
        var second = editor.Locator("[data-testid=subscription][data-index='1']");
        await ManagementSteps.FillAsync(second.GetByTestId("repo-url").Locator("input"), "git@bitbucket.org:acme/web.git");
        await ManagementSteps.FillAsync(second.GetByTestId("tag").Locator("input"), "v[1");
        await editor.GetByTestId("save-warehouse").ClickAsync();
        await Expect(second.Locator("[data-testid=field-error][data-field='subscriptions[1].tag']")).ToBeVisibleAsync();
        await Expect(editor.Locator("[data-testid=subscription][data-index='0'] [data-testid=field-error]")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("editor-bad-tag");

        await ManagementSteps.FillAsync(second.GetByTestId("tag").Locator("input"), "v*");
        await editor.GetByTestId("save-warehouse").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/warehouses/{project}/releases$"));
        await Expect(page.GetByTestId("subscription-row")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("subscription-row").Nth(1)).ToContainTextAsync("tags v*");
        await dashboard.ScreenshotAsync("warehouse-edited");
    }
}
