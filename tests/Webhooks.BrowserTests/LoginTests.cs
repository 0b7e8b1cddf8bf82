using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class LoginTests(StackFixture stack)
{
    [Fact]
    public async Task SignInWithAdminTokenShowsEveryReceiverReplicaHealthy()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(SignInWithAdminTokenShowsEveryReceiverReplicaHealthy));

        await dashboard.SignInAsync(stack.AdminToken);

        await Expect(dashboard.Page).ToHaveURLAsync(DashboardPage.OverviewUrl);
        await dashboard.GotoAsync("/resources");
        await dashboard.WaitForCircuitAsync();
        for (var replica = 0; replica < StackFixture.ReceiverReplicas; replica++)
        {
            var row = dashboard.Resource($"receiver-{replica}");
            await Expect(row.GetByTestId("state")).ToHaveAttributeAsync("data-state", "Healthy");
            await Expect(row.GetByTestId("endpoint")).ToHaveTextAsync(stack.ReceiverUrl(replica).ToString().TrimEnd('/'));
        }

        await Expect(dashboard.Resource("postgres").GetByTestId("state")).ToHaveAttributeAsync("data-state", "Healthy");
        await Expect(dashboard.Resource("redis").GetByTestId("state")).ToHaveAttributeAsync("data-state", "Healthy");
        await Expect(dashboard.Resource("dashboard").GetByTestId("state")).ToHaveAttributeAsync("data-state", "Healthy");
        await Expect(dashboard.Page.GetByTestId("signed-in-as")).Not.ToBeEmptyAsync();
        await Expect(dashboard.Page.Locator("body")).Not.ToContainTextAsync(stack.AdminToken);
        await dashboard.ScreenshotAsync("resources");
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

        await dashboard.GotoAsync("/resources");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task AnonymousVisitToResourcesEndsAtLoginAndReturnsThereAfterSignIn()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(AnonymousVisitToResourcesEndsAtLoginAndReturnsThereAfterSignIn));

        await dashboard.GotoAsync("/resources");

        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fresources$"));
        await Expect(dashboard.SignInButton).ToBeVisibleAsync();
        await Expect(dashboard.Page.GetByTestId("resources")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("login");

        await dashboard.TokenInput.FillAsync(stack.AdminToken);
        await dashboard.SignInButton.ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/resources$"));
        await dashboard.WaitForCircuitAsync();
        await dashboard.ScreenshotAsync("resources");
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

        await dashboard.GotoAsync("/resources");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2Fresources$"));
        await dashboard.ScreenshotAsync("login-again");
    }
}
