using System.Collections.Concurrent;
using Webhooks.Grains.Discovery;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Stands in for Bitbucket's git server in grain tests, shared by every silo of a <see cref="RefreshCluster"/>, and
/// watches each listing: a warehouse lists its probe repository once per refresh, so two listings of one repository
/// in flight at once are two refreshes of one warehouse at once (<see cref="Overlaps"/>). On demand it holds listings
/// at a <see cref="ListingGate"/>, slows them down, or makes them throw.
/// </summary>
public sealed class RefreshProbe
{
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _overlaps = new();
    private readonly ConcurrentQueue<Listing> _listings = new();
    private volatile ListingGate? _gate;

    /// <summary>How long each listing takes: long enough, and a burst arrives while a refresh runs.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Decides per listing (given the repository URL) whether it throws, and what.</summary>
    public Func<string, Exception?>? Failure { get; set; }

    /// <summary>Every time two listings of one repository were in flight at once, and which silo started the second.</summary>
    public IReadOnlyCollection<string> Overlaps => _overlaps;

    public IReadOnlyCollection<Listing> Listings => _listings;

    /// <summary>The head <c>refs/heads/main</c> of a probe repository has.</summary>
    public static string HeadOf(string url) => CloudPush.Hash("probe " + url);

    /// <summary>From now on every listing waits at the returned gate until it is opened (or its silo is killed).</summary>
    public ListingGate HoldListings() => _gate = new ListingGate();

    public IRefLister ForSilo(string siloName) => new Lister(this, siloName);

    private async Task<IReadOnlyList<RemoteRef>> ListAsync(string url, string silo)
    {
        var started = DateTimeOffset.UtcNow;
        if (_inFlight.AddOrUpdate(url, 1, (_, count) => count + 1) > 1)
        {
            _overlaps.Enqueue($"{url} listed by {silo} at {started:O} while another listing of it ran");
        }

        try
        {
            // Off the calling grain's scheduler: a killed silo's scheduler may never run this continuation again, and
            // the probe must still see its listing end.
            if (_gate is { } gate)
            {
                await gate.PassAsync(silo).ConfigureAwait(false);
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay).ConfigureAwait(false);
            }

            if (Failure?.Invoke(url) is { } failure)
            {
                throw failure;
            }

            return [new RemoteRef("refs/heads/main", HeadOf(url))];
        }
        finally
        {
            _inFlight.AddOrUpdate(url, 0, (_, count) => count - 1);
            _listings.Enqueue(new Listing(url, silo, started, DateTimeOffset.UtcNow));
        }
    }

    public sealed record Listing(string Url, string Silo, DateTimeOffset Started, DateTimeOffset Finished);

    private sealed class Lister(RefreshProbe probe, string silo) : IRefLister
    {
        public Task<IReadOnlyList<RemoteRef>> ListAsync(string repositoryUrl, GitCredentials? credentials, CancellationToken cancellationToken) =>
            probe.ListAsync(repositoryUrl, silo);
    }
}
