namespace Webhooks.Grains.Events;

/// <summary>One ref moved by a push.</summary>
/// <param name="Name">Short name: <c>main</c>, <c>release/1.x</c>, <c>v1.0</c> (never <c>refs/heads/…</c>).</param>
/// <param name="OldHash">Head before the push; null when the ref was created.</param>
/// <param name="NewHash">Head after the push; null when the ref was deleted.</param>
/// <param name="Forced">Cloud only: the push was not a fast-forward.</param>
/// <param name="Truncated">Cloud only: <paramref name="Commits"/> holds fewer commits than were pushed.</param>
/// <param name="Commits">Newest first, as Bitbucket lists them; often empty (deletes, tags, old Data Center).</param>
[GenerateSerializer, Immutable, Alias("Webhooks.RefChange")]
public sealed record RefChange(
    [property: Id(0)] RefKind Kind,
    [property: Id(1)] string Name,
    [property: Id(2)] RefChangeType Type,
    [property: Id(3)] string? OldHash,
    [property: Id(4)] string? NewHash,
    [property: Id(5)] bool Forced,
    [property: Id(6)] bool Truncated,
    [property: Id(7)] IReadOnlyList<CommitInfo> Commits);
