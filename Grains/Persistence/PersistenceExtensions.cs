using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Persistence;

public static class PersistenceExtensions
{
    /// <summary>
    /// Applies the EF Core migrations on start (<see cref="DatabaseMigrator"/>, a hosted service, under an advisory lock
    /// so replicas can start together). The receiver owns it; register it before every hosted service that reads the
    /// database (the key ring's re-encryption, the admin bootstrap), which start in registration order.
    /// </summary>
    public static IHostApplicationBuilder AddDatabaseMigrator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }
}
