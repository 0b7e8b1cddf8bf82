namespace Webhooks.Grains.Projects;

/// <summary>A project to create; the name becomes a route segment.</summary>
public sealed record CreateProjectRequest(string? Name);

public sealed record ProjectView(string Name, DateTimeOffset CreatedAt, int ReceiverCount);
