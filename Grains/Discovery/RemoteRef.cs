namespace Webhooks.Grains.Discovery;

/// <summary>One ref of a remote repository, as <c>git ls-remote</c> lists it (<c>refs/heads/main</c>, <c>refs/tags/v1</c>).</summary>
public sealed record RemoteRef(string Name, string Commit);
