using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// The heads among a set of candidates that a warehouse already has as Freight, loaded in one query: what makes a
/// request redundant (deduplicated) and a discovered head not new.
/// </summary>
internal sealed class KnownHeads
{
    private readonly HashSet<(string RepositoryKey, string Ref, string Commit)> _known;
    private readonly HashSet<string> _checked;

    private KnownHeads(HashSet<(string, string, string)> known, HashSet<string> checkedCommits)
    {
        _known = known;
        _checked = checkedCommits;
    }

    public static Task<KnownHeads> LoadAsync(
        WebhooksDbContext db, Guid warehouseId, IEnumerable<(string RepositoryKey, string Ref, string Commit)> candidates) =>
        new KnownHeads([], new HashSet<string>(StringComparer.Ordinal)).WithAsync(db, warehouseId, candidates);

    public static Task<KnownHeads> LoadAsync(WebhooksDbContext db, Guid warehouseId, IEnumerable<RequestedHead> candidates) =>
        LoadAsync(db, warehouseId, candidates.Select(h => (h.RepositoryKey, h.Ref, h.Commit)));

    /// <summary>
    /// These heads and <paramref name="candidates"/> too, querying only the commits not checked yet (none, when a
    /// refresh found the heads its requests announced). Valid while no Freight of the warehouse is written meanwhile,
    /// which holds within one refresh pass.
    /// </summary>
    public async Task<KnownHeads> WithAsync(
        WebhooksDbContext db, Guid warehouseId, IEnumerable<(string RepositoryKey, string Ref, string Commit)> candidates)
    {
        var commits = candidates.Select(c => c.Commit).Where(c => !_checked.Contains(c)).Distinct(StringComparer.Ordinal).ToList();
        if (commits.Count == 0)
        {
            return this;
        }

        var rows = await db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouseId && commits.Contains(f.Commit))
            .Select(f => new { f.RepositoryKey, f.Ref, f.Commit })
            .ToListAsync();
        return new KnownHeads(
            [.. _known, .. rows.Select(r => (r.RepositoryKey, r.Ref, r.Commit))],
            [.. _checked, .. commits]);
    }

    public bool Contains(string repositoryKey, string refName, string commit) => _known.Contains((repositoryKey, refName, commit));

    /// <summary>True when a request announced heads and every one of them is already Freight.</summary>
    public bool HasEvery(IReadOnlyList<RequestedHead> heads) =>
        heads.Count > 0 && heads.All(h => Contains(h.RepositoryKey, h.Ref, h.Commit));
}
