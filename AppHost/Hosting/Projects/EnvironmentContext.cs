namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>The environment being built for one replica of a project.</summary>
public sealed class EnvironmentContext(ProjectResource project, int replica, IDictionary<string, string?> variables)
{
    public ProjectResource Project { get; } = project;

    public int Replica { get; } = replica;

    public IDictionary<string, string?> Variables { get; } = variables;
}
