using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

/// <summary>What an operator does on the management pages, step by step, as the browser tests repeat it.</summary>
public static class ManagementSteps
{
    /// <summary>A project name no other test uses: the stack is shared by every browser test.</summary>
    public static string UniqueProject(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>Signs in with the stack's admin token through the banner's link and opens <paramref name="path"/>.</summary>
    public static async Task SignInAndOpenAsync(DashboardPage dashboard, StackFixture stack, string path)
    {
        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.GotoAsync(path);
        await dashboard.WaitForCircuitAsync();
    }

    /// <summary>
    /// Waits until the management page <paramref name="page"/> (its CircuitReadyMarker's name) is live. After a link
    /// to another page, the previous page's marker stays until enhanced navigation swaps the markup, so the generic
    /// marker is not enough: typing into the new page before it is live would be lost.
    /// </summary>
    public static Task WaitForPageAsync(DashboardPage dashboard, string page) =>
        Expect(dashboard.Page.Locator($"[data-testid=circuit-ready][data-page='{page}']")).ToBeAttachedAsync();

    /// <summary>
    /// Fills a Fluent text input and waits until it holds the value. Fluent's inputs are web components that render
    /// asynchronously: text typed into one that has just been added to the page can be overwritten by its first render
    /// (CI lost a repository URL that way), so fill, let the page render two frames, and fill again until it holds.
    /// </summary>
    public static Task FillAsync(ILocator input, string value) =>
        Eventually.HoldsAsync(async () =>
        {
            await input.FillAsync(value);
            await input.EvaluateAsync("e => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
            return await input.InputValueAsync() == value;
        }, TimeSpan.FromSeconds(30), $"the input holding '{value}'");

    /// <summary>Creates a project with the picker on the current page (whatever projects exist already).</summary>
    public static async Task CreateProjectAsync(DashboardPage dashboard, string project)
    {
        var page = dashboard.Page;
        // A page opened without ?project= picks its first project once the list has loaded, replacing the address:
        // wait for that to settle, or the name typed meanwhile is lost in the swap and an empty name gets submitted.
        await Expect(page.GetByTestId("no-projects").Or(page.Locator("[data-testid=project-link][aria-current=page]"))).ToBeVisibleAsync();
        var form = page.GetByTestId("new-project-form");
        if (!await form.IsVisibleAsync())
        {
            await page.GetByTestId("new-project").ClickAsync();
        }

        await FillAsync(form.GetByTestId("new-project-name").Locator("input"), project);
        await dashboard.ScreenshotAsync("new-project");
        await form.GetByTestId("create-project").ClickAsync();
        await Expect(page.Locator($"[data-testid=project-link][data-project='{project}']")).ToHaveAttributeAsync("aria-current", "page");
    }

    /// <summary>Creates a receiver on the receivers page; returns the URL and the secret read from its Webhook data.</summary>
    public static async Task<(string Url, string Secret)> CreateReceiverAsync(DashboardPage dashboard, string name)
    {
        var page = dashboard.Page;
        await FillAsync(page.GetByTestId("receiver-name").Locator("input"), name);
        await page.GetByTestId("create-receiver").ClickAsync();

        var dialog = page.GetByTestId("webhook-data-dialog");
        await Expect(dialog.GetByTestId("webhook-url")).ToBeVisibleAsync();
        await Expect(dialog.GetByTestId("secret-masked")).ToBeVisibleAsync();
        var hidden = await page.ContentAsync();
        await dashboard.ScreenshotAsync("webhook-data");

        await dialog.GetByTestId("reveal").ClickAsync();
        var secret = (await dialog.GetByTestId("secret-value").InnerTextAsync()).Trim();
        var url = (await dialog.GetByTestId("webhook-url").InnerTextAsync()).Trim();
        await dashboard.ScreenshotAsync("webhook-data-revealed");

        Assert.True(secret.Length >= 16, "the revealed secret is a whole secret");
        Assert.DoesNotContain(secret, hidden, StringComparison.Ordinal);
        await dialog.GetByTestId("close-webhook-data").ClickAsync();
        await Expect(page.Locator($"[data-testid=receiver][data-receiver='{name}']")).ToBeVisibleAsync();
        // Closed, the dialog leaves nothing behind: the secret is out of the page again.
        await Expect(dialog.GetByTestId("webhook-url")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        return (url, secret);
    }
}
