using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.KeyRing;

public static class KeyRingExtensions
{
    /// <summary>
    /// Data Protection as every service uses it: application name <c>Webhooks</c>, the key ring in PostgreSQL (shared
    /// by every replica and the dashboard), each key's secret encrypted with the key-encryption key from configuration
    /// (never stored in the database), stored keys brought under the current key-encryption key on start. Register
    /// after the database migrator.
    /// </summary>
    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyRingOptions>()
            .BindConfiguration(KeyRingOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyRingOptionsValidator>();
        builder.Services.AddHostedService<KeyRingReEncryptor>();

        builder.Services.AddDataProtection()
            .SetApplicationName("Webhooks")
            .PersistKeysToDbContext<WebhooksDbContext>();
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(management =>
                management.XmlEncryptor = new KeyRingXmlEncryptor(services.GetRequiredService<IOptions<KeyRingOptions>>())));
        return builder;
    }
}
