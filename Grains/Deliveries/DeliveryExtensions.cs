using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Deliveries;

public static class DeliveryExtensions
{
    /// <summary>
    /// The delivery history's reads: <see cref="DeliveryHistory"/> (the dashboard's pages and the API) and the
    /// <see cref="DeliveryCatalog"/> that checks the API's queries. Needs the database.
    /// </summary>
    public static IHostApplicationBuilder AddDeliveryHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeliveryHistory>();
        builder.Services.AddSingleton<DeliveryCatalog>();
        return builder;
    }
}
