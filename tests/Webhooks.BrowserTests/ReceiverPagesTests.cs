using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class ReceiverPagesTests(StackFixture stack)
{
    [Fact]
    public async Task AReceiverCreatedInTheDashboardShowsItsWebhookDataAndAcceptsAPushSignedWithTheRevealedSecret()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(AReceiverCreatedInTheDashboardShowsItsWebhookDataAndAcceptsAPushSignedWithTheRevealedSecret));
        var project = $"shop-{Guid.NewGuid():N}"[..12];
        await dashboard.GotoAsync($"/login?token={Uri.EscapeDataString(stack.AdminToken)}");
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/resources$"));

        await dashboard.GotoAsync("/receivers");
        await dashboard.WaitForCircuitAsync();
        await ManagementSteps.CreateProjectAsync(dashboard, project);
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex($"/receivers\\?project={project}$"));
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("no-receivers")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("receivers-empty");

        var (url, secret) = await ManagementSteps.CreateReceiverAsync(dashboard, "api");

        Assert.Matches(new Regex($"^{Regex.Escape(stack.ReceiverUrl(0).ToString().TrimEnd('/'))}/webhooks/bitbucket/[A-Za-z0-9_-]{{43}}$"), url);
        await Expect(dashboard.Page.GetByTestId("setup-guide")).ToHaveCountAsync(2);
        using var client = new HttpClient();
        using var response = await BitbucketPush.SendCloudAsync(client, url, BitbucketPush.Fixture("cloud-repo-push-signed.json"), secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
