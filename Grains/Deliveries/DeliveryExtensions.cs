using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Deliveries;

public static class DeliveryExtensions
{
    /// <summary>The delivery history's reads (<see cref="DeliveryHistory"/>): the management API's and the dashboard's. Needs the database.</summary>
    public static IHostApplicationBuilder AddDeliveryHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DeliveryHistory>();
        return builder;
    }
}
