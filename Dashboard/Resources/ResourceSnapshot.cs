namespace Webhooks.Dashboard.Resources;

/// <summary>A resource with the outcome of its latest health check.</summary>
public sealed record ResourceSnapshot(
    ResourceDefinition Resource,
    ResourceState State,
    string? Description,
    TimeSpan? Duration,
    DateTimeOffset CheckedAt);
