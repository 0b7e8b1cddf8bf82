using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Tokens;

public static class TokenExtensions
{
    /// <summary>
    /// API tokens: <see cref="TokenOptions"/>, verification (<see cref="ApiTokenVerifier"/>, cached where the caches are
    /// registered), the <see cref="TokenCatalog"/> and the cache invalidation its changes need, and the last-used times
    /// verification records, written in batches by the hosted <see cref="ApiTokenUsageFlusher"/> in every process that
    /// verifies tokens (the receiver's API and ingress; the dashboard's sign-in). Needs the database.
    /// </summary>
    public static IHostApplicationBuilder AddTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TokenOptions>()
            .BindConfiguration(TokenOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiTokenVerifier>();
        builder.Services.AddSingleton<ApiTokenUsage>();
        builder.Services.AddHostedService<ApiTokenUsageFlusher>();
        builder.Services.AddSingleton<TokenInvalidation>();
        builder.Services.AddSingleton<TokenCatalog>();
        return builder;
    }

    /// <summary>
    /// Makes sure the admin token <c>Webhooks:BootstrapAdminToken</c> exists (<see cref="AdminTokenBootstrapper"/>, a
    /// hosted service). The receiver owns it: it runs after the migrations and before the receiver reports healthy, so
    /// the dashboard, which waits for the receiver, finds the token there.
    /// </summary>
    public static IHostApplicationBuilder AddBootstrapAdminToken(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<AdminTokenBootstrapper>();
        return builder;
    }
}
