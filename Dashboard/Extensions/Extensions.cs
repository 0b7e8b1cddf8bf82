using Webhooks.Grains.Discovery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.FluentUI.AspNetCore.Components;
using Webhooks.Dashboard.Cluster;
using Webhooks.Dashboard.Deliveries;
using Webhooks.Dashboard.Login;
using Webhooks.Dashboard.Overview;
using Webhooks.Grains.Caching;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.SmartCommits;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Dashboard.Extensions;

public static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // The receiver migrates the database and creates the bootstrap admin token before it reports healthy, and the
        // AppHost starts the dashboard after that: the dashboard only reads and writes.
        builder.AddWebhooksDatabase();
        builder.AddKeyRing();
        builder.AddWebhooksRedis();
        // The same caches as the receivers: a rotation, deletion or revocation made here reaches every replica at once.
        builder.AddWebhooksCache();
        builder.AddClusterClient();
        // Signing in verifies the admin token (whose last use the token-usage flusher records, here as in the API).
        builder.AddTokens();
        builder.AddProjects();
        builder.AddReceivers();
        // Saving a git-mode subscription lists the repository once (WarehouseCatalog), here as in the API.
        builder.Services.AddRefDiscovery();
        builder.AddWarehouses();
        builder.AddSmartCommits();
        builder.AddDeliveryHistory();

        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();

        builder.AddDashboardAuthentication();
        builder.AddDeliveryPages();
        builder.AddOverview();
    }

    private static void AddOverview(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OverviewOptions>()
            .BindConfiguration(OverviewOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OverviewStatistics>();
        builder.Services.AddSingleton<ReplicaHistory>();
    }

    private static void AddDeliveryPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DeliveriesOptions>()
            .BindConfiguration(DeliveriesOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DeliveryFilterChoices>();
        // The Redeliver button replays through the same service as POST /api/deliveries/{id}/redeliver, routing
        // through the cluster client.
        builder.AddDeliveryRouting();
    }

    private static void AddDashboardAuthentication(this IHostApplicationBuilder builder)
    {
        // "Request starting …" logs the full query string, and /login?token=… carries the admin token there.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = DashboardSession.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                // The AppHost serves the dashboard over plain HTTP on loopback; behind TLS the cookie is Secure.
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = DashboardSession.IdleTimeout;
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/login";
            });

        builder.Services.AddAuthorizationBuilder()
            // Every page needs a signed-in operator unless it says otherwise ([AllowAnonymous] on /login; the
            // health endpoints are anonymous in MapDefaultEndpoints).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<DashboardSession>();
    }
}
