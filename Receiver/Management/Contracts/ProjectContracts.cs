namespace Webhooks.Receiver.Management.Contracts;

/// <summary>A project to create; the name becomes a route segment.</summary>
internal sealed record CreateProjectRequest(string? Name);

internal sealed record ProjectView(string Name, DateTimeOffset CreatedAt, int ReceiverCount);
