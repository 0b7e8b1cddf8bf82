using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Webhooks.Grains.KeyRing;
using Webhooks.Grains.Tokens;

namespace Webhooks.Grains.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// The product's PostgreSQL storage as every service uses it: the DbContext by connection name, migrations on
    /// start, Data Protection keys shared through the database and encrypted with a key-encryption key kept outside
    /// it (so every replica and the dashboard can decrypt receiver secrets, and a backup cannot), the bootstrap admin
    /// token, token verification and the delivery history.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooksStorage(this IHostApplicationBuilder builder)
    {
        builder.AddWebhooksDatabase();
        builder.Services.AddHostedService<DatabaseMigrator>();

        builder.AddKeyRing();

        builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.SectionName);
        builder.Services.AddHostedService<AdminTokenBootstrapper>();
        builder.Services.AddSingleton<ApiTokenVerifier>();
        builder.Services.AddSingleton<ApiTokenUsage>();
        builder.Services.AddOptions<TokenOptions>()
            .BindConfiguration(TokenOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<ApiTokenUsageFlusher>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Receivers.ReceiverSecretProtector>();
        builder.Services.AddSingleton<Deliveries.DeliveryHistory>();
        return builder;
    }
}
