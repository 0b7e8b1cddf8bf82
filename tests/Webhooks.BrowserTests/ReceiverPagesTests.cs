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
        var project = ManagementSteps.UniqueProject("shop");
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/receivers");

        await ManagementSteps.CreateProjectAsync(dashboard, project);
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex($"/receivers\\?project={project}$"));
        await Expect(dashboard.Page.GetByTestId("no-receivers")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("receivers-empty");

        var (url, secret) = await ManagementSteps.CreateReceiverAsync(dashboard, "api");

        Assert.Matches(new Regex($"^{Regex.Escape(stack.ReceiverUrl.ToString().TrimEnd('/'))}/webhooks/bitbucket/[A-Za-z0-9_-]{{43}}$"), url);
        await dashboard.ScreenshotAsync("receivers");
        using var client = new HttpClient();
        using var response = await BitbucketPush.SendCloudAsync(client, url, BitbucketPush.CloudBody("acme/api", "main", new string('a', 40), "Push"), secret);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task ARotatedSecretVerifiesAlongsideTheOldOneAndADeletedReceiverRefusesPushes()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(ARotatedSecretVerifiesAlongsideTheOldOneAndADeletedReceiverRefusesPushes));
        var project = ManagementSteps.UniqueProject("rotate");
        await ManagementSteps.SignInAndOpenAsync(dashboard, stack, "/receivers");
        await ManagementSteps.CreateProjectAsync(dashboard, project);
        var (url, oldSecret) = await ManagementSteps.CreateReceiverAsync(dashboard, "ci");
        var row = dashboard.Page.Locator("[data-testid=receiver][data-receiver='ci']");

        await row.GetByTestId("rotate-secret").ClickAsync();
        var rotate = dashboard.Page.GetByTestId("rotate-dialog");
        await rotate.GetByText("1 hour").ClickAsync();
        await dashboard.ScreenshotAsync("rotate");
        await rotate.GetByTestId("confirm-rotate").ClickAsync();
        await Expect(rotate.GetByTestId("rotated")).ToContainTextAsync("keeps verifying until");
        await Expect(rotate.GetByTestId("secret-masked")).ToBeVisibleAsync();
        await rotate.GetByTestId("reveal").ClickAsync();
        var newSecret = (await rotate.GetByTestId("secret-value").InnerTextAsync()).Trim();
        await dashboard.ScreenshotAsync("rotated");
        await rotate.GetByTestId("close-rotate").ClickAsync();
        await Expect(row.GetByTestId("grace")).ToBeVisibleAsync();
        await Expect(rotate.GetByTestId("rotated")).ToHaveCountAsync(0);
        Assert.DoesNotContain(newSecret, await dashboard.Page.ContentAsync(), StringComparison.Ordinal);

        Assert.NotEqual(oldSecret, newSecret);
        using var client = new HttpClient();
        foreach (var secret in new[] { newSecret, oldSecret })
        {
            using var accepted = await BitbucketPush.SendCloudAsync(client, url, BitbucketPush.CloudBody("acme/ci", "main", new string('b', 40), "Push"), secret);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await row.GetByTestId("delete-receiver").ClickAsync();
        var confirm = dashboard.Page.GetByTestId("confirm-delete");
        await Expect(confirm).ToContainTextAsync("Its URL stops working");
        await dashboard.ScreenshotAsync("confirm-delete");
        await confirm.GetByTestId("confirm").ClickAsync();

        await Expect(row).ToHaveCountAsync(0);
        await Expect(dashboard.Page.GetByTestId("no-receivers")).ToBeVisibleAsync();
        await Eventually.HoldsAsync(async () =>
        {
            using var refused = await BitbucketPush.SendCloudAsync(client, url, BitbucketPush.CloudBody("acme/ci", "main", new string('c', 40), "Push"), newSecret);
            return refused.StatusCode == HttpStatusCode.NotFound;
        }, TimeSpan.FromSeconds(15), "the deleted receiver's URL answering 404");
    }
}
