using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// The heads among a set of candidates that a warehouse already has as Freight: what makes a request redundant
/// (deduplicated) and a discovered head not new. A pass reads them with its state (<see cref="PassStatements"/>);
/// intake loads them in one query.
/// </summary>
internal sealed class KnownHeads
{
    private readonly HashSet<(string RepositoryKey, string Ref, string Commit)> _known;

    private KnownHeads(HashSet<(string, string, string)> known) => _known = known;

    /// <summary>Exactly <paramref name="known"/>.</summary>
    public static KnownHeads Of(IEnumerable<(string RepositoryKey, string Ref, string Commit)> known) => new([.. known]);

    /// <summary>The heads among <paramref name="candidates"/> that are Freight of the warehouse.</summary>
    public static async Task<KnownHeads> LoadAsync(WebhooksDbContext db, Guid warehouseId, IEnumerable<RequestedHead> candidates)
    {
        var wanted = candidates.Select(h => (h.RepositoryKey, h.Ref, h.Commit)).ToHashSet();
        var commits = wanted.Select(c => c.Commit).Distinct(StringComparer.Ordinal).ToList();
        if (commits.Count == 0)
        {
            return Of([]);
        }

        var rows = await db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouseId && commits.Contains(f.Commit))
            .Select(f => new { f.RepositoryKey, f.Ref, f.Commit })
            .ToListAsync();
        return Of(rows.Select(r => (r.RepositoryKey, r.Ref, r.Commit)).Where(wanted.Contains));
    }

    public bool Contains(string repositoryKey, string refName, string commit) => _known.Contains((repositoryKey, refName, commit));

    /// <summary>True when a request announced heads and every one of them is already Freight.</summary>
    public bool HasEvery(IReadOnlyList<RequestedHead> heads) =>
        heads.Count > 0 && heads.All(h => Contains(h.RepositoryKey, h.Ref, h.Commit));
}
