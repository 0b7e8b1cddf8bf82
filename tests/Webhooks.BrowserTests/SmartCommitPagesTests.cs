using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class SmartCommitPagesTests(StackFixture stack)
{
    [Fact]
    public async Task BadPatternsAreRefusedWithTheirReasonAndAPushedCommitIsFoundByItsIssueKey()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(BadPatternsAreRefusedWithTheirReasonAndAPushedCommitIsFoundByItsIssueKey));
        var page = dashboard.Page;
        var project = ManagementSteps.UniqueProject("alm");
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/smart-commits");
        await ManagementSteps.CreateProjectAsync(dashboard, project);
        var settings = page.GetByTestId("smart-commit-settings");
        await Expect(settings.GetByTestId("default-pattern-in-use")).ToBeVisibleAsync();

        await settings.GetByTestId("add-pattern").ClickAsync();
        await settings.GetByTestId("add-pattern").ClickAsync();
        await ManagementSteps.FillAsync(settings.Locator("[data-testid=pattern][data-index='0']").GetByTestId("pattern-input").Locator("input"), @"([A-Z]+-\d+");
        await ManagementSteps.FillAsync(settings.Locator("[data-testid=pattern][data-index='1']").GetByTestId("pattern-input").Locator("input"), @"(a+)+$");
        await settings.GetByTestId("save-smart-commits").ClickAsync();
        await Expect(settings.Locator("[data-testid=field-error][data-field='patterns[0]']")).ToContainTextAsync("does not compile");
        await Expect(settings.Locator("[data-testid=field-error][data-field='patterns[1]']")).ToContainTextAsync("catastrophic backtracking");
        await dashboard.ScreenshotAsync("patterns-invalid");

        await settings.Locator("[data-testid=pattern][data-index='1']").GetByTestId("remove-pattern").ClickAsync();
        await settings.Locator("[data-testid=pattern][data-index='0']").GetByTestId("remove-pattern").ClickAsync();
        await settings.GetByTestId("smart-commits-enabled").ClickAsync();
        await settings.GetByTestId("save-smart-commits").ClickAsync();
        await Expect(page.GetByTestId("settings-saved")).ToBeVisibleAsync();
        await Expect(settings.GetByTestId("default-pattern-in-use")).ToBeVisibleAsync();

        // A push through one of the project's receivers whose commit names ABC-12.
        using var admin = new HttpClient { BaseAddress = stack.ReceiverUrl };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stack.AdminToken);
        using var created = await admin.PostAsJsonAsync($"/api/projects/{project}/receivers", new { name = "bitbucket" });
        created.EnsureSuccessStatusCode();
        var receiver = await created.Content.ReadFromJsonAsync<JsonElement>();
        var commit = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";
        using var hooks = new HttpClient();
        using var pushed = await BitbucketPush.SendCloudAsync(hooks, receiver.GetProperty("url").GetString()!,
            BitbucketPush.CloudBody("acme/api", "main", commit, "ABC-12 fix the build #comment ready for review"), receiver.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.Accepted, pushed.StatusCode);

        var search = page.GetByTestId("issue-search");
        await ManagementSteps.FillAsync(search.GetByTestId("issue-key").Locator("input"), "ABC-12");
        var linked = page.Locator($"[data-testid=linked-commit][data-commit='{commit}']");
        // Linking runs in the background after the delivery is committed: search until it shows.
        await Eventually.HoldsAsync(async () =>
        {
            await search.GetByTestId("search-issue").ClickAsync();
            await Expect(page.GetByTestId("no-links").Or(page.GetByTestId("linked-commits"))).ToBeVisibleAsync();
            return await linked.CountAsync() == 1;
        }, TimeSpan.FromSeconds(30), "the commit linked to ABC-12 showing");
        await Expect(linked).ToContainTextAsync("ABC-12 fix the build");
        await Expect(linked.GetByTestId("command")).ToContainTextAsync("#comment ready for review");
        await dashboard.ScreenshotAsync("issue-commits");

        await ManagementSteps.FillAsync(search.GetByTestId("issue-key").Locator("input"), "XYZ-9");
        await search.GetByTestId("search-issue").ClickAsync();
        await Expect(page.GetByTestId("no-links")).ToContainTextAsync("XYZ-9");
        await dashboard.ScreenshotAsync("issue-without-commits");
    }
}
