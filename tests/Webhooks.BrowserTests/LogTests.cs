using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class LogTests(StackFixture stack)
{
    [Fact]
    public async Task SigningInNeverWritesTheTokenToTheDashboardLog()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(SigningInNeverWritesTheTokenToTheDashboardLog));
        var wrongToken = $"whk_wrong-{Guid.NewGuid():N}";

        await dashboard.GotoAsync($"/login?token={Uri.EscapeDataString(wrongToken)}");
        await Expect(dashboard.LoginError).ToBeVisibleAsync();
        await dashboard.SignInAsync(wrongToken);
        await Expect(dashboard.LoginError).ToBeVisibleAsync();
        await dashboard.SignInWithLinkAsync(stack.AdminToken);

        // The log arrives through the process's stdout and Aspire's log forwarding: wait for the sign-in line before judging the rest.
        await stack.WaitForLogAsync("dashboard",
            line => line.Contains("Dashboard sign-in with admin token", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30));

        Assert.DoesNotContain(DashboardLog(), line => line.Contains(stack.AdminToken, StringComparison.Ordinal));
        Assert.DoesNotContain(DashboardLog(), line => line.Contains(wrongToken, StringComparison.Ordinal));
    }

    private IReadOnlyList<string> DashboardLog() => stack.ResourceLog("dashboard");
}
