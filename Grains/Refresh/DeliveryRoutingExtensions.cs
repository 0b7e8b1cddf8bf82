using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Webhooks.Grains.Deliveries;

namespace Webhooks.Grains.Refresh;

public static class DeliveryRoutingExtensions
{
    /// <summary>
    /// Handing deliveries to the refresh engine from any process that can reach the grains — a receiver's silo or the
    /// dashboard's cluster client: the <see cref="DeliveryRouter"/> and <see cref="Redelivery"/>, and the
    /// <see cref="RefreshOptions"/> they, the refresh engine and warehouse validation read (bound here only).
    /// </summary>
    public static IHostApplicationBuilder AddDeliveryRouting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RefreshOptions>()
            .BindConfiguration(RefreshOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DeliveryRouter>();
        builder.Services.AddSingleton<Redelivery>();
        return builder;
    }
}
