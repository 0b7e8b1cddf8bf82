namespace Webhooks.Grains.Events;

/// <summary>A pull request as its event describes it.</summary>
/// <param name="SourceCommit">Cloud abbreviates this to 12 characters; Data Center sends 40.</param>
/// <param name="MergeCommit">Set once merged (Cloud <c>pullrequest:fulfilled</c>, Data Center <c>pr:merged</c>).</param>
[GenerateSerializer, Immutable, Alias("Webhooks.PullRequestInfo")]
public sealed record PullRequestInfo(
    [property: Id(0)] long Id,
    [property: Id(1)] string? Title,
    [property: Id(2)] string? State,
    [property: Id(3)] string SourceBranch,
    [property: Id(4)] string? SourceCommit,
    [property: Id(5)] string TargetBranch,
    [property: Id(6)] string? TargetCommit,
    [property: Id(7)] string? MergeCommit,
    [property: Id(8)] string? Url);
