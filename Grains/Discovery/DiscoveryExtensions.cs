using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.Grains.Discovery;

public static class DiscoveryExtensions
{
    /// <summary>
    /// Ref discovery for <c>git</c>-mode subscriptions: <see cref="IRefLister"/> backed by the git CLI
    /// (<see cref="GitRefLister"/>), with <see cref="RefDiscoveryOptions"/> bound to <c>Webhooks:Discovery</c> and
    /// validated on start.
    /// </summary>
    public static IServiceCollection AddRefDiscovery(this IServiceCollection services)
    {
        services.AddOptions<RefDiscoveryOptions>()
            .BindConfiguration(RefDiscoveryOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IRefLister, GitRefLister>();
        return services;
    }
}
