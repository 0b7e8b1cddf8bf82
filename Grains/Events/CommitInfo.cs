namespace Webhooks.Grains.Events;

/// <summary>A commit as a push payload describes it (Bitbucket sends at most a handful per ref).</summary>
[GenerateSerializer, Immutable, Alias("Webhooks.CommitInfo")]
public sealed record CommitInfo(
    [property: Id(0)] string Hash,
    [property: Id(1)] string? Message,
    [property: Id(2)] string? AuthorName,
    [property: Id(3)] string? AuthorEmail,
    [property: Id(4)] DateTimeOffset? Timestamp);
