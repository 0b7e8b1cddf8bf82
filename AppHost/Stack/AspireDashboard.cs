namespace Webhooks.AppHost.Stack;

/// <summary>Where the Aspire dashboard listens, as the AppHost's launch profile sets it; null when it is off (tests).</summary>
internal static class AspireDashboard
{
    public static string? Url(IConfiguration configuration) =>
        !WellKnownPorts.AreRandomized(configuration)
        && configuration["ASPNETCORE_URLS"]?.Split(';')[0] is { Length: > 0 } url
            ? url.TrimEnd('/')
            : null;

    /// <summary>The dashboard's sign-in link, as Aspire builds it: its URL and the browser token of this run.</summary>
    public static string? LoginUrl(IConfiguration configuration) =>
        Url(configuration) is { } url && configuration["AppHost:BrowserToken"] is { Length: > 0 } token
            ? $"{url}/login?t={token}"
            : null;
}
