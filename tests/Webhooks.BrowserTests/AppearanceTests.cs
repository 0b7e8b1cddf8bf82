using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class AppearanceTests(StackFixture stack)
{
    private const string BodyIsDark =
        "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b) / 3 < 96; }";

    [Fact]
    public async Task DarkSystemThemeGivesDarkLoginAndResourcesPages()
    {
        await using var dashboard = await DashboardPage.OpenAsync(
            stack, nameof(DarkSystemThemeGivesDarkLoginAndResourcesPages), ColorScheme.Dark);

        await dashboard.GotoAsync("/login");
        await dashboard.Page.WaitForFunctionAsync(BodyIsDark);
        await dashboard.ScreenshotAsync("login");

        await dashboard.GotoAsync($"/login?token={Uri.EscapeDataString(stack.AdminToken)}");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/resources$"));
        await dashboard.WaitForCircuitAsync();
        await dashboard.Page.WaitForFunctionAsync(BodyIsDark);
        await dashboard.ScreenshotAsync("resources");
    }
}
