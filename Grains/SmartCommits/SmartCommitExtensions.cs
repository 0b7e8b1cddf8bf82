using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.SmartCommits;

public static class SmartCommitExtensions
{
    /// <summary>Smart commits' settings: the <see cref="SmartCommitCatalog"/>. Needs the database.</summary>
    public static IHostApplicationBuilder AddSmartCommits(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SmartCommitCatalog>();
        return builder;
    }
}
