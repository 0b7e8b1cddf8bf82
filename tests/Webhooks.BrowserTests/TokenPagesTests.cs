using System.Net;
using System.Net.Http.Headers;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class TokenPagesTests(StackFixture stack)
{
    [Fact]
    public async Task ATokenCreatedInTheDashboardIsShownOnceOpensTheApiAndStopsWorkingWhenRevoked()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(ATokenCreatedInTheDashboardIsShownOnceOpensTheApiAndStopsWorkingWhenRevoked));
        var page = dashboard.Page;
        var name = $"ci-{Guid.NewGuid():N}"[..11];
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/tokens");
        await dashboard.ScreenshotAsync("tokens");

        await ManagementSteps.FillAsync(page.GetByTestId("token-name").Locator("input"), name);
        await ManagementSteps.FillAsync(page.GetByTestId("token-description").Locator("input"), "deploy pipeline");
        await page.GetByTestId("create-token").ClickAsync();
        var created = page.GetByTestId("created-token");
        await Expect(created).ToContainTextAsync("only time");
        await Expect(created.GetByTestId("secret-masked")).ToBeVisibleAsync();
        var beforeReveal = await page.ContentAsync();
        await dashboard.ScreenshotAsync("token-created");
        await created.GetByTestId("reveal").ClickAsync();
        var token = (await created.GetByTestId("secret-value").InnerTextAsync()).Trim();
        await dashboard.ScreenshotAsync("token-revealed");

        Assert.StartsWith("whk_", token);
        Assert.DoesNotContain(token, beforeReveal, StringComparison.Ordinal);
        var row = page.Locator($"[data-testid=token][data-token-name='{name}']");
        await Expect(row).ToContainTextAsync(token[..12]);
        await Expect(row.GetByTestId("token-status")).ToHaveTextAsync("Active");
        Assert.NotEqual(stack.ReplicaUrl(0), stack.ReplicaUrl(1));
        using var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var replica = 0; replica < StackFixture.ReceiverReplicas; replica++)
        {
            using var allowed = await client.GetAsync(new Uri(stack.ReplicaUrl(replica), "/api/projects"));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        // Shown once: a new page no longer has it.
        await page.ReloadAsync();
        await dashboard.WaitForCircuitAsync();
        await Expect(page.GetByTestId("created-token")).ToHaveCountAsync(0);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByTestId("revoke-token").ClickAsync();
        var confirm = page.GetByTestId("confirm-revoke");
        await Expect(confirm).ToContainTextAsync("refuses it at once");
        await dashboard.ScreenshotAsync("confirm-revoke");
        await confirm.GetByTestId("confirm").ClickAsync();
        await Expect(row.GetByTestId("token-status")).ToContainTextAsync("Revoked");
        await Expect(row.GetByTestId("revoke-token")).ToHaveCountAsync(0);
        await dashboard.ScreenshotAsync("token-revoked");

        for (var replica = 0; replica < StackFixture.ReceiverReplicas; replica++)
        {
            var address = new Uri(stack.ReplicaUrl(replica), "/api/projects");
            await Eventually.HoldsAsync(async () =>
            {
                using var refused = await client.GetAsync(address);
                return refused.StatusCode == HttpStatusCode.Unauthorized;
            }, TimeSpan.FromSeconds(15), $"receiver {replica} refusing the revoked token");
        }
    }
}
