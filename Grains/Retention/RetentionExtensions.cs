using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Retention;

public static class RetentionExtensions
{
    /// <summary>Prunes the delivery history older than <c>Webhooks:Retention:DeliveryWindow</c> (30 days by default).</summary>
    public static IHostApplicationBuilder AddDeliveryRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DeliveryRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DeliveryRetention>());
        return builder;
    }
}
