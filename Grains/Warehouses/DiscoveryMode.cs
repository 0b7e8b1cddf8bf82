namespace Webhooks.Grains.Warehouses;

/// <summary>How a subscription learns a repository's new heads.</summary>
public enum DiscoveryMode
{
    /// <summary>From the signed push itself: no network call to Bitbucket, but only pushes Bitbucket delivered.</summary>
    Payload,

    /// <summary>By listing the repository's refs (<c>git ls-remote</c>) on every refresh and on an interval.</summary>
    Git,
}
