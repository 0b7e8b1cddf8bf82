using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.SmartCommits;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Management;

public static class ManagementExtensions
{
    /// <summary>
    /// The management operations the receiver's API and the dashboard share: projects, receivers, warehouses, tokens and
    /// smart commits. Needs storage (<c>AddWebhooksStorage</c>), the caches (<c>AddWebhooksCache</c>) and a grain
    /// factory (the silo's, or the dashboard's cluster client).
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksManagement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicUrlOptions>()
            .BindConfiguration(PublicUrlOptions.SectionName)
            .Validate(options => options.IsValid(), "Webhooks:PublicBaseUrl must be an absolute http(s) URL, such as https://webhooks.example.com.")
            .ValidateOnStart();
        // Warehouse validation reads the interval bounds; the refresh engine binds the same section where it runs.
        builder.Services.AddOptions<RefreshOptions>()
            .BindConfiguration(RefreshOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton<WarehouseSecretProtector>();
        builder.Services.AddSingleton<ReceiverUrls>();
        builder.Services.AddSingleton<ManagementInvalidation>();
        builder.Services.AddSingleton<ProjectCatalog>();
        builder.Services.AddSingleton<ReceiverCatalog>();
        builder.Services.AddSingleton<WarehouseCatalog>();
        builder.Services.AddSingleton<WarehouseHistory>();
        builder.Services.AddSingleton<Notifications.NotificationHealth>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenCatalog>();
        builder.Services.AddSingleton<SmartCommitCatalog>();
        return builder;
    }
}
