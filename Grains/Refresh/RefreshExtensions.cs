using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Refresh;

public static class RefreshExtensions
{
    /// <summary>
    /// What the repository and warehouse grains need in a silo: head discovery, the database gate, the dispatch writer, the refresh pass batcher,
    /// metrics, and the <see cref="RefreshSweeper"/> (a hosted service: resumes stranded requests, polls git-mode
    /// warehouses). Composed with what it calls, registered by their own capabilities: delivery routing (which binds
    /// <see cref="RefreshOptions"/>), warehouses (their secret protector), ref listing (<c>AddRefDiscovery</c>), the
    /// notification outbox (<c>AddNotificationOutbox</c>) and the notifier (<c>AddFreightNotifications</c>).
    /// </summary>
    public static IHostApplicationBuilder AddRefreshEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HeadDiscovery>();
        builder.Services.AddSingleton<GrainDatabaseGate>();
        builder.Services.AddSingleton<DispatchWriter>();
        builder.Services.AddSingleton<RefreshPassBatcher>();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<RefreshMetrics>();
        builder.Services.AddHostedService<RefreshSweeper>();
        return builder;
    }
}
