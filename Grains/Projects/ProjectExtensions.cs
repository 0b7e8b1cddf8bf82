using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Webhooks.Grains.Projects;

public static class ProjectExtensions
{
    /// <summary>Projects: the <see cref="ProjectCatalog"/>. Needs the database, receivers and tokens (a deleted project's are forgotten by every replica).</summary>
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ProjectCatalog>();
        return builder;
    }
}
