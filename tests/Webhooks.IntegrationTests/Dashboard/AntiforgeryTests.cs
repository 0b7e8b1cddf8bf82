using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Dashboard;

/// <summary>
/// Cross-site request forgery against the dashboard: its session cookie is HttpOnly and SameSite=Strict, and a form
/// POST without the antiforgery token (what another site can send) is refused with 400 and changes nothing.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed partial class AntiforgeryTests(StorageFixture storage) : IAsyncLifetime
{
    private readonly ReceiverFactory _receiver = new(storage, "antiforgery");
    private DashboardFactory _dashboard = null!;
    private HttpClient _browser = null!;

    public Task InitializeAsync()
    {
        // The receiver's silo must be up before the dashboard's cluster client connects.
        _receiver.CreateClient().Dispose();
        _dashboard = new DashboardFactory(storage, _receiver);
        _browser = _dashboard.CreateBareClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _dashboard.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task TheSessionCookieIsHttpOnlyAndSameSiteStrict()
    {
        using var signIn = await _browser.GetAsync($"/login?token={_dashboard.AdminToken}");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = SetCookie(signIn, DashboardFactory.SessionCookie);
        Assert.True(session.HttpOnly);
        Assert.Equal(Microsoft.Net.Http.Headers.SameSiteMode.Strict, session.SameSite);
        Assert.Equal("/", session.Path.ToString());
        Assert.Null(session.Expires);
        Assert.DoesNotContain(_dashboard.AdminToken, session.Value.ToString());
    }

    [Fact]
    public async Task ACrossSiteSignOutWithoutTheAntiforgeryTokenIsRefusedAndTheSessionLives()
    {
        var session = await SignInAsync();

        using var forged = await PostFormAsync("/logout", session, antiforgery: null, []);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith(".Webhooks.Dashboard=;"));
        using var stillIn = await GetAsync("/deliveries", session);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);

        // The same POST with the token the page gave: signed out. The refusal was about the token, nothing else.
        var (token, antiforgeryCookie) = await AntiforgeryTokenAsync("/deliveries", session);
        using var genuine = await PostFormAsync("/logout", $"{session}; {antiforgeryCookie}", token, []);
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        Assert.Equal("/login?signedOut=true", genuine.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ACrossSiteSignInFormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        // Login CSRF: another site posting its own admin token would sign the operator in as someone else.
        using var forged = await PostFormAsync("/login", cookie: null, antiforgery: null,
            [new("_handler", "login"), new("Input.Token", _dashboard.AdminToken)]);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(forged.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".Webhooks.Dashboard=", StringComparison.Ordinal)));
    }

    private Task<string> SignInAsync() => _dashboard.SignInAsync(_browser);

    /// <summary>The hidden antiforgery field of the page's first form, and the antiforgery cookie that goes with it.</summary>
    private async Task<(string Token, string Cookie)> AntiforgeryTokenAsync(string page, string session)
    {
        using var response = await GetAsync(page, session);
        var html = await response.Content.ReadAsStringAsync();
        var token = HiddenToken().Match(html);
        Assert.True(token.Success, $"no antiforgery field on {page}");
        var cookie = SetCookie(response, ".AspNetCore.Antiforgery.");
        return (WebUtility.HtmlDecode(token.Groups[1].Value), $"{cookie.Name}={cookie.Value}");
    }

    private Task<HttpResponseMessage> GetAsync(string path, string cookie) => DashboardFactory.GetAsync(_browser, path, cookie);

    /// <summary>A form POST as another site's page would send it: Origin and Referer are that site.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(string path, string? cookie, string? antiforgery, KeyValuePair<string, string>[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(antiforgery is null ? fields : [.. fields, new("__RequestVerificationToken", antiforgery)]),
        };
        if (antiforgery is null)
        {
            request.Headers.Add("Origin", "https://evil.example");
            request.Headers.Referrer = new Uri("https://evil.example/page");
        }

        if (cookie is not null)
        {
            request.Headers.Add("Cookie", cookie);
        }

        return await _browser.SendAsync(request);
    }

    private static SetCookieHeaderValue SetCookie(HttpResponseMessage response, string namePrefix) => DashboardFactory.SetCookie(response, namePrefix);

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex HiddenToken();
}
