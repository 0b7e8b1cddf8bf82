namespace Webhooks.Grains.Discovery;

/// <summary>Lists a remote repository's refs with <c>git ls-remote</c> semantics, over https, ssh or file URLs.</summary>
public interface IRefLister
{
    /// <exception cref="RefListingException">The repository could not be listed; the message is safe to show.</exception>
    Task<IReadOnlyList<RemoteRef>> ListAsync(string repositoryUrl, GitCredentials? credentials, CancellationToken cancellationToken);
}
