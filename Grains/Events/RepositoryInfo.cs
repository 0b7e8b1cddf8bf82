namespace Webhooks.Grains.Events;

/// <summary>The repository an event is about.</summary>
/// <param name="Key">Canonical key (see <c>RepositoryKey</c>), e.g. <c>bitbucket.org/acme/api</c>.</param>
/// <param name="FullName"><c>acme/api</c> (Cloud workspace/slug) or <c>PROJ/repo</c> (Data Center project key/slug).</param>
/// <param name="CloneUrls">HTTP(S) first, then SSH, as far as the payload tells.</param>
[GenerateSerializer, Immutable, Alias("Webhooks.RepositoryInfo")]
public sealed record RepositoryInfo(
    [property: Id(0)] string Key,
    [property: Id(1)] string FullName,
    [property: Id(2)] string? Name,
    [property: Id(3)] string? HtmlUrl,
    [property: Id(4)] IReadOnlyList<string> CloneUrls);
