using System.Reflection;

namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>The projects the AppHost runs, as recorded in its assembly at build time (Aspire's generated <c>Projects.*</c>).</summary>
public static class ProjectPaths
{
    public static string Receiver => Path.GetFullPath(Metadata("Webhooks.ProjectPath.receiver"));

    public static string Dashboard => Path.GetFullPath(Metadata("Webhooks.ProjectPath.dashboard"));

    /// <summary>Debug or Release: the projects are built with the AppHost, in the same configuration.</summary>
    public static string Configuration => Metadata("Webhooks.Configuration");

    private static string Metadata(string key) =>
        typeof(ProjectPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
            ?? throw new InvalidOperationException($"The AppHost assembly has no '{key}' metadata; see Webhooks.AppHost.csproj.");
}
