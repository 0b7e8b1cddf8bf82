using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class AppearanceTests(StackFixture stack)
{
    private const string BodyIsDark =
        "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b) / 3 < 96; }";

    [Fact]
    public async Task DarkSystemThemeGivesDarkLoginAndDeliveriesPages()
    {
        await using var dashboard = await DashboardPage.OpenAsync(
            stack, nameof(DarkSystemThemeGivesDarkLoginAndDeliveriesPages), ColorScheme.Dark);

        await dashboard.GotoAsync("/login");
        await dashboard.Page.WaitForFunctionAsync(BodyIsDark);
        await dashboard.ScreenshotAsync("login");

        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.GotoAsync("/deliveries");
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("filters")).ToBeVisibleAsync();
        await dashboard.Page.WaitForFunctionAsync(BodyIsDark);
        await dashboard.ScreenshotAsync("deliveries");
    }
}
