using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Events;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Turns one event into refresh requests, one per warehouse that follows a ref it moved. Deleted refs refresh
/// nothing; a mirror sync whose refs did not fit (<c>refLimitExceeded</c>) refreshes every subscriber.
/// </summary>
public static class PushRouting
{
    public static IReadOnlyDictionary<Guid, RefreshTrigger> Route(Guid deliveryId, BitbucketEvent bitbucketEvent, IEnumerable<SubscriptionRule> rules)
    {
        var triggers = new Dictionary<Guid, RefreshTrigger>();
        if (bitbucketEvent.Kind is not (BitbucketEventKind.Push or BitbucketEventKind.MirrorSynchronized) || bitbucketEvent.Repository is null)
        {
            return triggers;
        }

        var repositoryKey = bitbucketEvent.Repository.Key;
        foreach (var byWarehouse in rules.Where(r => r.RepositoryKey == repositoryKey).GroupBy(r => r.WarehouseId))
        {
            if (bitbucketEvent.RefLimitExceeded)
            {
                triggers[byWarehouse.Key] = new RefreshTrigger(RefreshReason.Mirror, deliveryId, repositoryKey, []);
                continue;
            }

            var heads = new List<RequestedHead>();
            foreach (var rule in byWarehouse)
            {
                foreach (var change in bitbucketEvent.Changes)
                {
                    if (change.Type == RefChangeType.Delete || string.IsNullOrEmpty(change.NewHash) || !RefSelector.Selects(rule, change.Kind, change.Name))
                    {
                        continue;
                    }

                    // Bitbucket lists commits newest first; the head commit tells the Freight's message and author.
                    var commit = change.Commits.FirstOrDefault(c => c.Hash == change.NewHash);
                    heads.Add(new RequestedHead(
                        rule.SubscriptionId,
                        repositoryKey,
                        RefSelector.FullName(change.Kind, change.Name),
                        change.NewHash,
                        commit?.Message?.TrimEnd(),
                        commit?.AuthorName));
                }
            }

            if (heads.Count > 0)
            {
                var reason = bitbucketEvent.Kind == BitbucketEventKind.MirrorSynchronized ? RefreshReason.Mirror : RefreshReason.Push;
                triggers[byWarehouse.Key] = new RefreshTrigger(reason, deliveryId, repositoryKey, heads);
            }
        }

        return triggers;
    }
}
