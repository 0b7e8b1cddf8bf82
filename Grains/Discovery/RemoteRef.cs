namespace Webhooks.Grains.Discovery;

/// <summary>
/// One ref of a remote repository, as <c>git ls-remote</c> lists it (<c>refs/heads/main</c>, <c>refs/tags/v1</c>,
/// <c>HEAD</c>); <paramref name="Target"/> is the ref a symbolic ref points at (<c>HEAD</c> → <c>refs/heads/main</c>)
/// when the listing says so.
/// </summary>
public sealed record RemoteRef(string Name, string Commit, string? Target = null);
