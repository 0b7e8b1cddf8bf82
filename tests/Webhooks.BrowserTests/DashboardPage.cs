using Microsoft.Playwright;

namespace Webhooks.BrowserTests;

/// <summary>
/// One browser context (its own cookies) on the dashboard, saving a screenshot of every page it shows to
/// <c>screenshots/</c> in the test output directory.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    public static readonly string ScreenshotDirectory = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly IBrowserContext _context;
    private readonly string _testName;
    private int _screenshots;

    private DashboardPage(IBrowserContext context, IPage page, Uri baseUrl, string testName)
    {
        _context = context;
        Page = page;
        BaseUrl = baseUrl;
        _testName = testName;
    }

    public IPage Page { get; }

    public Uri BaseUrl { get; }

    public static async Task<DashboardPage> OpenAsync(
        StackFixture stack, string testName, ColorScheme colorScheme = ColorScheme.Light, int width = 1280, int height = 800)
    {
        var context = await stack.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.DashboardUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        return new DashboardPage(context, page, stack.DashboardUrl, testName);
    }

    public ILocator TokenInput => Page.GetByTestId("token").Locator("input");

    public ILocator SignInButton => Page.GetByTestId("sign-in");

    public ILocator LoginError => Page.GetByTestId("login-error");

    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
    }

    /// <summary>Interactive pages render this marker once the circuit is live; clicks before it would be lost.</summary>
    public Task WaitForCircuitAsync() =>
        Assertions.Expect(Page.GetByTestId("circuit-ready")).ToBeAttachedAsync();

    /// <summary>Signs in with the AppHost banner's link and waits on the Overview, the page it lands on.</summary>
    public async Task SignInWithLinkAsync(string token)
    {
        await GotoAsync($"/login?token={Uri.EscapeDataString(token)}");
        await Assertions.Expect(Page).ToHaveURLAsync(OverviewUrl);
    }

    /// <summary>The dashboard's home, the Overview: <c>/</c> with nothing after it.</summary>
    public static readonly System.Text.RegularExpressions.Regex OverviewUrl = new("^https?://[^/]+/$");

    public async Task SignInAsync(string token)
    {
        await GotoAsync("/login");
        await TokenInput.FillAsync(token);
        await ScreenshotAsync("login-filled");
        await SignInButton.ClickAsync();
    }

    public async Task ScreenshotAsync(string step)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var file = Path.Combine(ScreenshotDirectory, $"{_testName}-{++_screenshots:00}-{step}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
