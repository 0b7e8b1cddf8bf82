namespace Webhooks.Grains.Events;

/// <summary>
/// One Bitbucket webhook delivery, Cloud or Data Center, reduced to what the product acts on. Built by the
/// receiver's parser from the signed body; grains receive it as it is.
/// </summary>
/// <param name="EventKey">The <c>X-Event-Key</c> header, e.g. <c>repo:push</c>, <c>repo:refs_changed</c>.</param>
/// <param name="Repository">Null only for events that name no repository (ping).</param>
/// <param name="Changes">Every ref the event moved, in payload order.</param>
/// <param name="RefLimitExceeded">Data Center mirror sync changed too many refs to list: refresh everything.</param>
/// <param name="Actor">Display name of whoever caused the event.</param>
/// <param name="OccurredAt">Data Center's <c>date</c>, Cloud's <c>updated_on</c> for pull requests; Cloud pushes carry none.</param>
[GenerateSerializer, Immutable, Alias("Webhooks.BitbucketEvent")]
public sealed record BitbucketEvent(
    [property: Id(0)] BitbucketProduct Product,
    [property: Id(1)] string EventKey,
    [property: Id(2)] BitbucketEventKind Kind,
    [property: Id(3)] RepositoryInfo? Repository,
    [property: Id(4)] IReadOnlyList<RefChange> Changes,
    [property: Id(5)] bool RefLimitExceeded,
    [property: Id(6)] PullRequestInfo? PullRequest,
    [property: Id(7)] string? Actor,
    [property: Id(8)] DateTimeOffset? OccurredAt);
