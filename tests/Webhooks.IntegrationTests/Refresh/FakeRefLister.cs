using System.Collections.Concurrent;
using Webhooks.Grains.Discovery;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Stands in for Bitbucket's git server (outside the product): the refs each URL lists, an optional delay per
/// listing, and a count of listings.
/// </summary>
public sealed class FakeRefLister : IRefLister
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<RemoteRef>> _refs = new(StringComparer.Ordinal);
    private int _listings;

    public TimeSpan Delay { get; set; }

    public int Listings => Volatile.Read(ref _listings);

    public void Set(string url, params RemoteRef[] refs) => _refs[url] = refs;

    public async Task<IReadOnlyList<RemoteRef>> ListAsync(string repositoryUrl, GitCredentials? credentials, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listings);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return _refs.TryGetValue(repositoryUrl, out var refs)
            ? refs
            : throw new RefListingException($"Repository '{repositoryUrl}' not found.");
    }
}
