using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class LoginTests(StackFixture stack)
{
    [Fact]
    public async Task SignInWithAdminTokenOpensTheOverviewWithTheNavToEveryPageAndTheOrleansCluster()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(SignInWithAdminTokenOpensTheOverviewWithTheNavToEveryPageAndTheOrleansCluster));

        await dashboard.SignInAsync(stack.AdminToken);

        await Expect(dashboard.Page).ToHaveURLAsync(DashboardPage.OverviewUrl);
        await dashboard.WaitForCircuitAsync();
        foreach (var (item, href) in new[]
        {
            ("nav-overview", "/"), ("nav-deliveries", "/deliveries"), ("nav-receivers", "/receivers"), ("nav-warehouses", "/warehouses"),
            ("nav-tokens", "/tokens"), ("nav-smart-commits", "/smart-commits"), ("nav-orleans", "/orleans/"),
        })
        {
            await Expect(dashboard.Page.GetByTestId(item)).ToHaveAttributeAsync("href", href);
        }

        // Resources, logs and traces are the Aspire dashboard's: Aspire.Hosting.Testing runs none, so the nav has no link to it.
        await Expect(dashboard.Page.GetByTestId("nav-aspire")).ToHaveCountAsync(0);
        await Expect(dashboard.Page.GetByTestId("signed-in-as")).Not.ToBeEmptyAsync();
        await Expect(dashboard.Page.Locator("body")).Not.ToContainTextAsync(stack.AdminToken);
        await dashboard.ScreenshotAsync("overview");
    }

    [Fact]
    public async Task WrongTokenShowsAnErrorAndStaysOnLogin()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(WrongTokenShowsAnErrorAndStaysOnLogin));

        await dashboard.SignInAsync("whk_this-is-not-a-valid-token");

        await Expect(dashboard.LoginError).ToBeVisibleAsync();
        await Expect(dashboard.LoginError).ToContainTextAsync("does not sign you in");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login"));
        await Expect(dashboard.SignInButton).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("refused");

        await dashboard.GotoAsync("/deliveries");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task AnonymousVisitToDeliveriesEndsAtLoginAndReturnsThereAfterSignIn()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(AnonymousVisitToDeliveriesEndsAtLoginAndReturnsThereAfterSignIn));

        await dashboard.GotoAsync("/deliveries");

        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fdeliveries$"));
        await Expect(dashboard.SignInButton).ToBeVisibleAsync();
        await Expect(dashboard.Page.GetByTestId("filters")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("login");

        await dashboard.TokenInput.FillAsync(stack.AdminToken);
        await dashboard.SignInButton.ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/deliveries$"));
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("filters")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("deliveries");
    }

    [Fact]
    public async Task SignInLinkDropsTheTokenFromTheAddressBarAndSignOutEndsTheSession()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(SignInLinkDropsTheTokenFromTheAddressBarAndSignOutEndsTheSession));

        // The link the AppHost banner prints.
        await dashboard.GotoAsync($"/login?token={Uri.EscapeDataString(stack.AdminToken)}");

        await Expect(dashboard.Page).ToHaveURLAsync(DashboardPage.OverviewUrl);
        await dashboard.WaitForCircuitAsync();
        await dashboard.ScreenshotAsync("overview");

        await dashboard.Page.GetByTestId("sign-out").ClickAsync();

        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login"));
        await Expect(dashboard.Page.GetByTestId("signed-out")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("signed-out");

        await dashboard.GotoAsync("/deliveries");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fdeliveries$"));
        await dashboard.ScreenshotAsync("login-again");
    }
}
