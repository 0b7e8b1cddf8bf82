namespace Webhooks.AppHost.Stack;

/// <summary>The links a developer needs, on the resources in the Aspire dashboard and in the console banner.</summary>
internal static class StackUrls
{
    public const string Dashboard = "Dashboard";
    public const string WebhookBaseUrl = "Webhook base URL";
    public const string ManagementApi = "Management API";

    public static IResourceBuilder<ProjectResource> WithWebhooksUrls(this IResourceBuilder<ProjectResource> receiver) =>
        receiver.WithUrls(context =>
        {
            if (context.Urls.FirstOrDefault(u => u.Endpoint?.EndpointName == "http") is { } http)
            {
                var root = http.Url.TrimEnd('/');
                http.DisplayLocation = UrlDisplayLocation.DetailsOnly;
                context.Urls.Add(new() { Url = $"{root}/webhooks/bitbucket/", DisplayText = WebhookBaseUrl });
                context.Urls.Add(new() { Url = $"{root}/api", DisplayText = ManagementApi });
                context.Urls.Add(new() { Url = $"{root}/openapi/v1.json", DisplayText = "OpenAPI", DisplayLocation = UrlDisplayLocation.DetailsOnly });
            }
        });

    /// <summary>The Webhooks dashboard's sign-in link: opens it already signed in with the admin token.</summary>
    public static IResourceBuilder<ProjectResource> WithDashboardSignIn(this IResourceBuilder<ProjectResource> dashboard, IResourceBuilder<ParameterResource> adminToken) =>
        dashboard.WithUrls(async context =>
        {
            if (context.Urls.FirstOrDefault(u => u.Endpoint?.EndpointName == "http") is { } http)
            {
                var token = await adminToken.Resource.GetValueAsync(context.CancellationToken).ConfigureAwait(false);
                http.DisplayLocation = UrlDisplayLocation.DetailsOnly;
                context.Urls.Add(new() { Url = $"{http.Url.TrimEnd('/')}/login?token={Uri.EscapeDataString(token ?? "")}", DisplayText = Dashboard });
            }
        });
}
