using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Discovery;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Finds the current heads of a warehouse's followed refs for one refresh. Payload mode reads them from the pending
/// requests (the latest request wins for a ref, which is how a burst collapses into its last head); git mode lists
/// the repository, whatever the requests say, so a push Bitbucket never delivered is found too.
/// </summary>
public sealed class HeadDiscovery(IServiceProvider services, WarehouseSecretProtector protector)
{
    // Registered by AddRefDiscovery(); absent, git-mode subscriptions fail their refresh with a clear error.
    private readonly IRefLister? _refLister = services.GetService<IRefLister>();

    public async Task<(List<DiscoveredHead> Heads, List<string> Errors)> DiscoverAsync(
        IReadOnlyList<Subscription> subscriptions, IReadOnlyList<RefreshRequest> requests, CancellationToken cancellationToken)
    {
        var heads = new List<DiscoveredHead>();
        var errors = new List<string>();
        foreach (var subscription in subscriptions)
        {
            var rule = SubscriptionRule.From(subscription);
            if (subscription.Discovery == DiscoveryMode.Payload)
            {
                heads.AddRange(FromPayload(rule, requests));
                continue;
            }

            if (_refLister is null)
            {
                errors.Add($"{subscription.RepositoryUrl}: git discovery is not available on this replica.");
                continue;
            }

            try
            {
                var listed = await _refLister.ListAsync(subscription.RepositoryUrl, protector.UnprotectCredentials(subscription.ProtectedCredentials), cancellationToken);
                heads.AddRange(RefSelector.SelectListed(rule, listed).Select(remote => FromListing(rule, remote, requests)));
            }
            catch (RefListingException e)
            {
                errors.Add($"{subscription.RepositoryUrl}: {e.Message}");
            }
        }

        return (Unique(heads), errors);
    }

    /// <summary>
    /// <see cref="DiscoverAsync"/> for a warehouse whose subscriptions all take their heads from the payload: no
    /// listing, nothing to wait for (the refresh passes of such warehouses are planned in batches).
    /// </summary>
    public static List<DiscoveredHead> DiscoverFromPayload(IReadOnlyList<Subscription> subscriptions, IReadOnlyList<RefreshRequest> requests) =>
        Unique([.. subscriptions.SelectMany(subscription => FromPayload(SubscriptionRule.From(subscription), requests))]);

    // Two subscriptions of one repository may both follow a ref: one head per (repository, ref), the first
    // subscription's.
    private static List<DiscoveredHead> Unique(List<DiscoveredHead> heads) =>
        [.. heads.GroupBy(h => (h.RepositoryKey, h.Ref)).Select(g => g.First())];

    private static IEnumerable<DiscoveredHead> FromPayload(SubscriptionRule rule, IReadOnlyList<RefreshRequest> requests)
    {
        // Requests are in push order (RefreshPass sorts them by when their delivery was received), so the last head
        // announced for a ref is its current one.
        var latest = new Dictionary<string, RequestedHead>(StringComparer.Ordinal);
        foreach (var head in requests.SelectMany(r => r.Heads))
        {
            if (head.RepositoryKey == rule.RepositoryKey && Follows(rule, head.Ref))
            {
                latest[head.Ref] = head;
            }
        }

        return latest.Values.Select(head => new DiscoveredHead(
            rule.SubscriptionId, rule.RepositoryKey, rule.RepositoryUrl, head.Ref, head.Commit, head.Message, head.Author,
            DeliveriesAnnouncing(requests, rule.RepositoryKey, head.Ref, head.Commit)));
    }

    private static DiscoveredHead FromListing(SubscriptionRule rule, RemoteRef remote, IReadOnlyList<RefreshRequest> requests)
    {
        // A listing has no commit details: take them from a push that announced the same head, if any did.
        var announced = requests.SelectMany(r => r.Heads)
            .LastOrDefault(h => h.RepositoryKey == rule.RepositoryKey && h.Ref == remote.Name && h.Commit == remote.Commit);
        var deliveries = DeliveriesAnnouncing(requests, rule.RepositoryKey, remote.Name, remote.Commit)
            .Concat(requests.Where(r => r.Reason == RefreshReason.Mirror && r.RepositoryKey == rule.RepositoryKey && r.DeliveryId is not null)
                .Select(r => r.DeliveryId!.Value))
            .Distinct()
            .ToList();
        return new DiscoveredHead(rule.SubscriptionId, rule.RepositoryKey, rule.RepositoryUrl, remote.Name, remote.Commit,
            announced?.Message, announced?.Author, deliveries);
    }

    private static List<Guid> DeliveriesAnnouncing(IReadOnlyList<RefreshRequest> requests, string repositoryKey, string refName, string commit) =>
        requests
            .Where(r => r.DeliveryId is not null && r.Heads.Any(h => h.RepositoryKey == repositoryKey && h.Ref == refName && h.Commit == commit))
            .Select(r => r.DeliveryId!.Value)
            .Distinct()
            .ToList();

    // A subscription edited since the request was made still decides by its current patterns.
    private static bool Follows(SubscriptionRule rule, string fullRef) =>
        fullRef.StartsWith(RefSelector.BranchPrefix, StringComparison.Ordinal)
            ? RefSelector.Selects(rule, Events.RefKind.Branch, fullRef[RefSelector.BranchPrefix.Length..])
            : fullRef.StartsWith(RefSelector.TagPrefix, StringComparison.Ordinal)
              && RefSelector.Selects(rule, Events.RefKind.Tag, fullRef[RefSelector.TagPrefix.Length..]);
}
