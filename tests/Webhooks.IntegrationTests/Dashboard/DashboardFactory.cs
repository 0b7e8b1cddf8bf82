using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Webhooks.Dashboard;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Dashboard;

/// <summary>
/// The Dashboard in-process, on the database and Orleans cluster of <paramref name="receiver"/> (whose silo its cluster
/// client joins, and whose admin token signs in). Start the receiver first.
/// </summary>
public sealed class DashboardFactory(StorageFixture storage, ReceiverFactory receiver) : WebApplicationFactory<DashboardEntryPoint>
{
    public string AdminToken => receiver.AdminToken;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.KeepOffTestConsole());
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:webhooks", receiver.DatabaseConnectionString);
        builder.UseSetting("ConnectionStrings:redis", storage.RedisConnectionString);
        builder.UseSetting("Webhooks:DataProtection:KeyEncryptionKey", receiver.KeyEncryptionKey);
        builder.UseSetting("Orleans:ClusterId", receiver.ClusterId);
        builder.UseSetting("Orleans:ServiceId", receiver.ClusterId);
        // As Aspire's Orleans integration passes them: Redis clustering through the keyed client "redis".
        builder.UseSetting("Orleans:Clustering:ProviderType", "Redis");
        builder.UseSetting("Orleans:Clustering:ServiceKey", "redis");
    }

    public const string SessionCookie = ".Webhooks.Dashboard";

    /// <summary>Signs in with the admin token (the AppHost banner's link); the <c>Cookie</c> header value of the session.</summary>
    public async Task<string> SignInAsync(HttpClient browser)
    {
        using var signIn = await browser.GetAsync($"/login?token={AdminToken}");
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = SetCookie(signIn, SessionCookie);
        return $"{session.Name}={session.Value}";
    }

    /// <summary>A page as the signed-in operator's browser gets it.</summary>
    public static async Task<HttpResponseMessage> GetAsync(HttpClient browser, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await browser.SendAsync(request);
    }

    /// <summary>The one cookie whose name starts with <paramref name="namePrefix"/> that the answer sets.</summary>
    public static SetCookieHeaderValue SetCookie(HttpResponseMessage response, string namePrefix)
    {
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
        return Assert.Single(SetCookieHeaderValue.ParseList(cookies.ToList()), c => c.Name.ToString().StartsWith(namePrefix, StringComparison.Ordinal));
    }

    /// <summary>A browser-like client that neither follows redirects nor keeps cookies: tests set both by hand.</summary>
    public HttpClient CreateBareClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
}
