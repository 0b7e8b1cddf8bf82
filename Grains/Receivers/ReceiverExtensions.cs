using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Receivers;

public static class ReceiverExtensions
{
    /// <summary>
    /// Receivers: <see cref="PublicUrlOptions"/> (validated on start), their URLs, their secrets' protection, the
    /// <see cref="IReceiverDirectory"/> ingress reads (cached), the <see cref="ReceiverCatalog"/> and the cache
    /// invalidation its changes need. Needs the database, the key ring and the caches (<c>AddWebhooksCache</c>).
    /// </summary>
    public static IHostApplicationBuilder AddReceivers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublicUrlOptions>()
            .BindConfiguration(PublicUrlOptions.SectionName)
            .Validate(options => options.IsValid(), "Webhooks:PublicBaseUrl must be an absolute http(s) URL, such as https://webhooks.example.com.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReceiverSecretProtector>();
        builder.Services.AddSingleton<ReceiverUrls>();
        builder.Services.AddSingleton<IReceiverDirectory, ReceiverDirectory>();
        builder.Services.AddSingleton<ReceiverInvalidation>();
        builder.Services.AddSingleton<ReceiverCatalog>();
        return builder;
    }
}
