namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>The HTTP endpoint of one replica of a project, known once ports are allocated (Aspire's <c>EndpointReference</c>).</summary>
public sealed record EndpointReference(ProjectResource Project, int Replica)
{
    public Uri Url => Project.GetEndpoint(Replica);
}
