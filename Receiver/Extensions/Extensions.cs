using System.Net;
using Microsoft.AspNetCore.Authentication;
using Orleans.Configuration;
using StackExchange.Redis;
using Webhooks.Grains.Persistence;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();

        // Storage first: its hosted services (migrations, bootstrap token) must finish before the silo starts.
        builder.AddWebhooksStorage();
        builder.AddRedisClient(RedisConnectionName);

        builder.AddAdminAuthentication();
        builder.AddManagementServices();
        builder.AddSilo();
    }

    private const string RedisConnectionName = "redis";

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
    /// Co-hosts an Orleans silo: membership in Redis, cluster identity and ports from the <c>Orleans</c> section
    /// (the names Aspire's Orleans integration uses: <c>Orleans:ClusterId</c>, <c>Orleans:Endpoints:SiloPort</c>, …).
    /// </summary>
    private static void AddSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloSettings>()
            .BindConfiguration(SiloSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var settings = builder.Configuration.GetSection(SiloSettings.SectionName).Get<SiloSettings>() ?? new SiloSettings();
        var redis = builder.Configuration.GetConnectionString(RedisConnectionName)!;

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            });
            silo.UseRedisClustering(options =>
            {
                var configuration = ConfigurationOptions.Parse(redis);
                configuration.AbortOnConnectFail = false;
                options.ConfigurationOptions = configuration;
            });
            var advertised = string.IsNullOrWhiteSpace(settings.Endpoints.AdvertisedIPAddress)
                ? IPAddress.Loopback
                : IPAddress.Parse(settings.Endpoints.AdvertisedIPAddress);
            silo.ConfigureEndpoints(advertised, settings.Endpoints.SiloPort, settings.Endpoints.GatewayPort, listenOnAnyHostAddress: settings.Endpoints.ListenOnAnyHostAddress);
            silo.AddActivityPropagation();
        });
    }
}
