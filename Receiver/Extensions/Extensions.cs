using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Orleans.Configuration;
using Orleans.Dashboard;
using Webhooks.Grains.Caching;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Discovery;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Retention;
using Webhooks.Grains.SmartCommits;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Ingress;
using Webhooks.Receiver.Ingress.Protection;
using Webhooks.Receiver.Ingress.Recording;
using Webhooks.Receiver.Management;
using Webhooks.Receiver.SmartCommits;
using Webhooks.Receiver.Routing;

namespace Webhooks.Receiver.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddManagementApi();

        // Storage first: hosted services start in registration order, and the migrations, the key ring's re-encryption
        // and the bootstrap admin token must be done before anything else reads the database (and before the receiver
        // reports healthy: the dashboard waits for that rather than migrating itself).
        builder.AddWebhooksDatabase();
        builder.AddDatabaseMigrator();
        builder.AddKeyRing();
        builder.AddBootstrapAdminToken();
        builder.AddWebhooksRedis();
        builder.AddWebhooksCache();

        builder.AddTokens();
        builder.AddAdminAuthentication();
        builder.AddProjects();
        builder.AddReceivers();
        builder.AddWarehouses();
        builder.AddSmartCommits();
        builder.AddDeliveryHistory();
        builder.AddIngress();
        builder.AddRefresh();
        builder.AddDeliveryRetention();
        builder.AddSilo();
    }

    /// <summary>
    /// What every management endpoint shares: problem details for every error, request bodies read strictly (a property
    /// nobody knows is refused, not ignored: a misspelt <c>secert</c> must not silently produce a generated secret), and
    /// bad input answered as a 4xx that says what is wrong rather than a 500 (binding failures throw, and
    /// <see cref="BadRequestProblems"/> answers them); OpenAPI with the bearer scheme.
    /// </summary>
    private static void AddManagementApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Minimal APIs answer a body that is not JSON with a bare 415; say what to send.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                context.ProblemDetails.Detail ??= "Send the body as application/json.";
            }
        });
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // Which of two equal names counts is up to each reader (RFC 8259); a request that says both is refused.
            options.SerializerOptions.AllowDuplicateProperties = false;
            options.SerializerOptions.Converters.Add(new NulFreeStrings());
        });
        builder.Services.AddOpenApi(options => options.AddBearerSecurity());
    }

    private static void AddIngress(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngressOptions>()
            .BindConfiguration(IngressOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.AddServerLimits();

        // "Request starting …" lines, one or two per delivery, are noise at this volume. (Their credentials — receiver
        // paths, ?token= — are redacted at any level by the service defaults.)
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddSingleton<DeliveryRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryRecorder>());
        builder.Services.AddSingleton<FailedAuthenticationLimiter>();
        builder.Services.AddSingleton<BitbucketIngress>();
        builder.Services.AddSingleton<CommitLinkQueue>();
        builder.Services.AddHostedService<CommitLinkWorker>();
    }

    /// <summary>
    /// The refresh engine the co-hosted silo runs (repository and warehouse grains, their sweeper), plus the receiver's
    /// side of it: routing accepted deliveries and re-dispatching those left undispatched.
    /// </summary>
    private static void AddRefresh(this IHostApplicationBuilder builder)
    {
        builder.AddDeliveryRouting();
        builder.Services.AddRefDiscovery();
        builder.AddFreightNotifications();
        builder.AddNotificationOutbox();
        builder.AddRefreshEngine();
        builder.Services.AddHostedService<UndispatchedDeliverySweeper>();
    }

    private static void AddAdminAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(AdminTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AdminTokenAuthenticationHandler.AdminPolicy, policy => policy
                .AddAuthenticationSchemes(AdminTokenAuthenticationHandler.SchemeName)
                .RequireRole(AdminTokenAuthenticationHandler.AdminRole));
    }

    /// <summary>
    /// Co-hosts an Orleans silo. Cluster identity, Redis clustering (the keyed client <c>redis</c>) and the silo's ports
    /// come from the <c>Orleans</c> section that Aspire's Orleans integration sets (<c>Orleans:ClusterId</c>,
    /// <c>Orleans:Clustering:ProviderType</c>, <c>Orleans:Endpoints:SiloPort</c>, …); Orleans reads it itself.
    /// </summary>
    private static void AddSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloSettings>()
            .BindConfiguration(SiloSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(SiloSettings.SectionName).Get<SiloSettings>() ?? new SiloSettings();

        builder.UseOrleans(silo =>
        {
            // Silos advertise loopback unless told otherwise: every replica runs on this machine under the AppHost.
            if (string.IsNullOrWhiteSpace(settings.Endpoints.AdvertisedIPAddress))
            {
                silo.Configure<EndpointOptions>(options => options.AdvertisedIPAddress = IPAddress.Loopback);
            }

            if (Telemetry.IsExported(builder.Configuration))
            {
                // Trace context across grain calls; with no collector there is no trace to continue.
                silo.AddActivityPropagation();
            }

            // Every silo feeds the Orleans dashboard the operator dashboard mounts at /orleans (a client can only show
            // what the silos collect).
            silo.AddDashboard();
        });
    }
}
