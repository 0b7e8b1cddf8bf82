using Webhooks.AppHost.Stack;

namespace Webhooks.UnitTests.AppHost;

public sealed class StackBannerTests
{
    [Fact]
    public void TheBannerCarriesTodaysLabelsAndAManagementApiThatTakesPathsAsTheReadmeWritesThem()
    {
        var banner = StackBanner.Render(
            "http://localhost:18888/login?t=abc",
            "http://localhost:5170/login?token=whk_x",
            "http://localhost:5180/webhooks/bitbucket/",
            "http://localhost:5180/api",
            "whk_x",
            "/data");
        var lines = banner.Split(Environment.NewLine);

        Assert.Contains(lines, l => l.StartsWith("  Aspire dashboard  http://localhost:18888/login?t=abc", StringComparison.Ordinal));
        foreach (var label in new[] { "Dashboard", "Webhook base URL", "Management API", "Admin token", "Data directory" })
        {
            Assert.Contains(lines, l => l.StartsWith($"  {label} ", StringComparison.Ordinal));
        }

        // README: API=<Management API>; curl $API/projects.
        var api = lines.Single(l => l.StartsWith("  Management API", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        Assert.Equal("http://localhost:5180/api/projects", $"{api}/projects");
    }

    [Fact]
    public void WithoutTheAspireDashboardItsLineIsLeftOut()
    {
        var banner = StackBanner.Render(null, "d", "w", "a", "t", "/data");

        Assert.DoesNotContain("Aspire dashboard", banner);
    }
}
