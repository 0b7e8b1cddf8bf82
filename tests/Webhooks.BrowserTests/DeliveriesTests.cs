using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Webhooks.BrowserTests;

[Collection(StackCollection.Name)]
public sealed class DeliveriesTests(StackFixture stack)
{
    [Fact]
    public async Task SignedPushAppearsLiveAndItsDetailShowsHeadersBodyAndAnswerButNoSecret()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(SignedPushAppearsLiveAndItsDetailShowsHeadersBodyAndAnswerButNoSecret));
        using var bitbucket = new BitbucketSender(stack);
        var project = $"live-{Guid.NewGuid():N}"[..13];
        var receiverUrl = await bitbucket.CreateReceiverAsync(project, "cloud");

        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.GotoAsync("/deliveries");
        await dashboard.WaitForCircuitAsync();
        // Set in the page itself: a reload would lose it, so finding it later proves the row came without one.
        await dashboard.Page.EvaluateAsync("() => window.stillTheSamePage = true");

        var (response, deliveryId) = await bitbucket.SendCloudPushAsync(receiverUrl);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var link = dashboard.Page.Locator($"[data-testid=delivery-link][data-delivery-id='{deliveryId}']");
        await Expect(link).ToBeVisibleAsync();
        Assert.True(await dashboard.Page.EvaluateAsync<bool>("() => window.stillTheSamePage === true"));
        var row = dashboard.Page.Locator("[role=row]", new() { Has = link });
        await Expect(row.GetByTestId("outcome")).ToHaveAttributeAsync("data-status", "accepted");
        await Expect(row.GetByTestId("source")).ToHaveTextAsync($"{project} · cloud");
        await Expect(row.GetByTestId("state")).ToHaveAttributeAsync("data-status", "processed");
        await dashboard.ScreenshotAsync("deliveries");

        await link.ClickAsync();

        await Expect(dashboard.Page).ToHaveURLAsync(new Regex($"/deliveries/{deliveryId}$"));
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("delivery-title")).ToHaveTextAsync("repo:push");
        await Expect(dashboard.Page.GetByTestId("status-code")).ToHaveTextAsync("202");
        await Expect(Header(dashboard, "X-Event-Key")).ToContainTextAsync("repo:push");
        await Expect(Header(dashboard, "Authorization")).ToContainTextAsync("(redacted)");
        await Expect(Header(dashboard, "X-Hub-Signature")).ToContainTextAsync("sha256=");
        await Expect(dashboard.Page.GetByTestId("body")).ToContainTextAsync("\"name\": \"feature/webhook\"");
        await Expect(dashboard.Page.GetByTestId("answer")).ToContainTextAsync("\"outcome\": \"accepted\"");
        await Expect(dashboard.Page.GetByTestId("answer")).ToContainTextAsync(deliveryId.ToString());
        await Expect(dashboard.Page.Locator("[data-testid=step][data-step=processed]")).ToHaveAttributeAsync("data-done", "true");
        await Expect(dashboard.Page.GetByTestId("no-refreshes")).ToContainTextAsync("no warehouse subscribes");
        await dashboard.ScreenshotAsync("delivery");

        var page = await dashboard.Page.ContentAsync();
        Assert.DoesNotContain(BitbucketSender.Secret, page, StringComparison.Ordinal);
        Assert.DoesNotContain(WebUtility.HtmlEncode(BitbucketSender.Secret), page, StringComparison.Ordinal);
        Assert.DoesNotContain(bitbucket.ProxyCredential, page, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.AdminToken, page, StringComparison.Ordinal);

        // Redeliver: a new delivery replays the push and points back at this one.
        await dashboard.Page.GetByTestId("redeliver").ClickAsync();
        var replayLink = dashboard.Page.GetByTestId("redelivery-link");
        await Expect(dashboard.Page.GetByTestId("redelivered")).ToBeVisibleAsync();
        var replayId = await replayLink.GetAttributeAsync("data-delivery-id");
        await Expect(dashboard.Page.GetByTestId("redeliveries")).ToContainTextAsync(replayId!);
        await dashboard.ScreenshotAsync("redelivered");

        await replayLink.ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex($"/deliveries/{replayId}$"));
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("redelivery-of")).ToHaveTextAsync(deliveryId.ToString());
        await Expect(dashboard.Page.GetByTestId("body")).ToContainTextAsync("\"name\": \"feature/webhook\"");
        await Expect(dashboard.Page.Locator("[data-testid=step][data-step=processed]")).ToHaveAttributeAsync("data-done", "true");
        await dashboard.ScreenshotAsync("redelivery");

        await dashboard.GotoAsync($"/deliveries?project={project}");
        await dashboard.WaitForCircuitAsync();
        var replayRow = dashboard.Page.Locator("[role=row]", new() { Has = dashboard.Page.Locator($"[data-testid=delivery-link][data-delivery-id='{replayId}']") });
        await Expect(replayRow.GetByTestId("redelivery")).ToBeVisibleAsync();
        // The badge shows its word (it once rendered as an empty box) beside the event, which is not cut off.
        await Expect(replayRow.GetByTestId("redelivery")).ToHaveTextAsync("redelivery");
        var badge = await replayRow.GetByTestId("redelivery").BoundingBoxAsync();
        Assert.True(badge is { Width: > 40 }, $"the redelivery badge is {badge?.Width} px wide");
        var eventKey = replayRow.GetByTestId("event");
        Assert.True(await eventKey.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"), "the event key is cut off");
        await dashboard.ScreenshotAsync("redelivery-in-list");
    }

    [Fact]
    public async Task FiltersLiveInTheAddressAndSayWhenNothingMatches()
    {
        await using var dashboard = await DashboardPage.OpenAsync(stack, nameof(FiltersLiveInTheAddressAndSayWhenNothingMatches));
        using var bitbucket = new BitbucketSender(stack);
        var project = $"filt-{Guid.NewGuid():N}"[..13];
        var receiverUrl = await bitbucket.CreateReceiverAsync(project, "cloud");
        var (_, accepted) = await bitbucket.SendCloudPushAsync(receiverUrl);
        var (rejectedResponse, rejected) = await bitbucket.SendCloudPushAsync(receiverUrl, secret: "not the secret");
        Assert.Equal(HttpStatusCode.Unauthorized, rejectedResponse.StatusCode);

        await dashboard.SignInWithLinkAsync(stack.AdminToken);
        await dashboard.GotoAsync($"/deliveries?project={project}&outcome=rejected&range=1h");
        await dashboard.WaitForCircuitAsync();

        await Expect(Link(dashboard, rejected)).ToBeVisibleAsync();
        await Expect(Link(dashboard, accepted)).ToHaveCountAsync(0);
        var row = dashboard.Page.Locator("[role=row]", new() { Has = Link(dashboard, rejected) });
        await Expect(row).ToContainTextAsync("401");
        await dashboard.ScreenshotAsync("rejected-only");

        // Choosing "any outcome" in the page changes the address and lists both.
        await dashboard.Page.GetByTestId("clear-filters").ClickAsync();
        await Expect(dashboard.Page).ToHaveURLAsync(new Regex("/deliveries$"));
        await Expect(Link(dashboard, accepted)).ToBeVisibleAsync();
        await Expect(Link(dashboard, rejected)).ToBeVisibleAsync();

        await dashboard.GotoAsync($"/deliveries?project={project}&event=pullrequest:created");
        await dashboard.WaitForCircuitAsync();
        await Expect(dashboard.Page.GetByTestId("no-match")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("no-match");
    }

    private static ILocator Link(DashboardPage dashboard, Guid deliveryId) =>
        dashboard.Page.Locator($"[data-testid=delivery-link][data-delivery-id='{deliveryId}']");

    private static ILocator Header(DashboardPage dashboard, string name) =>
        dashboard.Page.Locator($"[data-testid=header][data-header='{name}']");
}
