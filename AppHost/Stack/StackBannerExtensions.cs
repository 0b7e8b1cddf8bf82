using Microsoft.Extensions.DependencyInjection;

namespace Webhooks.AppHost.Stack;

internal static class StackBannerExtensions
{
    /// <summary>Prints <see cref="StackBanner"/> once the receiver and the dashboard are healthy.</summary>
    public static void AddStackBanner(this IDistributedApplicationBuilder builder, StackOptions stack, IResourceBuilder<ParameterResource> adminToken)
    {
        builder.Services.AddSingleton(stack);
        builder.Services.AddKeyedSingleton(StackBanner.AdminTokenKey, adminToken.Resource);
        builder.Services.AddHostedService<StackBanner>();
    }
}
