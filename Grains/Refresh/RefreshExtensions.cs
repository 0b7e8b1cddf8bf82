using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

public static class RefreshExtensions
{
    /// <summary>
    /// What the repository and warehouse grains need in a silo: options, discovery, secret protection, and the sweeper
    /// that resumes stranded requests and polls git-mode warehouses, and the notification outbox's dispatcher. Ref listing (<c>AddRefDiscovery</c>) and
    /// downstream notification (<c>AddFreightNotifications</c>) are registered on their own.
    /// </summary>
    public static IHostApplicationBuilder AddRefreshEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RefreshOptions>()
            .BindConfiguration(RefreshOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WarehouseSecretProtector>();
        builder.Services.AddSingleton<HeadDiscovery>();
        builder.Services.AddSingleton<GrainDatabaseGate>();
        builder.Services.AddSingleton<DispatchWriter>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<RefreshMetrics>();
        builder.Services.AddSingleton<NotificationSignal>();
        builder.Services.AddHostedService<RefreshSweeper>();
        builder.Services.AddOptions<OutboxOptions>()
            .BindConfiguration(OutboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<NotificationDispatcher>();
        return builder;
    }
}
