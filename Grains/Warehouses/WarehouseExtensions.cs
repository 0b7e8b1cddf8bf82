using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Warehouses;

public static class WarehouseExtensions
{
    /// <summary>
    /// Warehouses: their credentials' and notify secrets' protection (<see cref="WarehouseSecretProtector"/>, which the
    /// refresh engine's discovery and notification dispatch use too), the <see cref="WarehouseCatalog"/> and the
    /// <see cref="WarehouseHistory"/> with the notify targets' health (<see cref="Notifications.NotificationHealth"/>, read by
    /// the Warehouses list and the Overview's "needs attention"). Needs the database, the key ring, ref discovery (a git-mode subscription is listed
    /// once when saved), delivery routing (which binds the <c>RefreshOptions</c> that bound the polling interval) and a
    /// grain factory (the silo's, or the dashboard's cluster client: "refresh now").
    /// </summary>
    public static IHostApplicationBuilder AddWarehouses(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WarehouseSecretProtector>();
        builder.Services.AddSingleton<WarehouseCatalog>();
        builder.Services.AddSingleton<WarehouseHistory>();
        builder.Services.AddSingleton<Notifications.NotificationHealth>();
        return builder;
    }
}
