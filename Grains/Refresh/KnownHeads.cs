using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// The heads among a set of candidates that a warehouse already has as Freight, loaded in one query: what makes a
/// request redundant (deduplicated) and a discovered head not new.
/// </summary>
internal sealed class KnownHeads
{
    private readonly HashSet<(string RepositoryKey, string Ref, string Commit)> _known;

    private KnownHeads(HashSet<(string, string, string)> known) => _known = known;

    public static async Task<KnownHeads> LoadAsync(
        WebhooksDbContext db, Guid warehouseId, IEnumerable<(string RepositoryKey, string Ref, string Commit)> candidates)
    {
        var commits = candidates.Select(c => c.Commit).Distinct().ToList();
        if (commits.Count == 0)
        {
            return new KnownHeads([]);
        }

        var rows = await db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouseId && commits.Contains(f.Commit))
            .Select(f => new { f.RepositoryKey, f.Ref, f.Commit })
            .ToListAsync();
        return new KnownHeads(rows.Select(r => (r.RepositoryKey, r.Ref, r.Commit)).ToHashSet());
    }

    public static Task<KnownHeads> LoadAsync(WebhooksDbContext db, Guid warehouseId, IEnumerable<RequestedHead> candidates) =>
        LoadAsync(db, warehouseId, candidates.Select(h => (h.RepositoryKey, h.Ref, h.Commit)));

    public bool Contains(string repositoryKey, string refName, string commit) => _known.Contains((repositoryKey, refName, commit));

    /// <summary>True when a request announced heads and every one of them is already Freight.</summary>
    public bool HasEvery(IReadOnlyList<RequestedHead> heads) =>
        heads.Count > 0 && heads.All(h => Contains(h.RepositoryKey, h.Ref, h.Commit));
}
