using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;

namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>
/// Names what makes two requests one delivery, for PostgreSQL's unique key, which is the only duplicate check on the hot
/// path: the INSERT itself (<see cref="DeliveryInsert"/>) tells a new delivery from a repeat, in the round trip that
/// commits it. Redis used to answer a check before the insert; a Redis stall then stalled answers (a second's timeout),
/// and a new delivery, the common case, paid a round trip that the insert made anyway.
/// </summary>
public sealed class DeliveryDeduplicator(IDbContextFactory<WebhooksDbContext> dbFactory)
{
    /// <summary>The key PostgreSQL's unique index holds for the delivery that owns a (scope, delivery id).</summary>
    public static string DedupeKey(string scope, string? requestId, byte[] bodySha256) =>
        string.IsNullOrEmpty(requestId) ? $"{scope}:sha256:{Convert.ToHexStringLower(bodySha256)}" : $"{scope}:{requestId}";

    /// <summary>
    /// The delivery that owns <paramref name="dedupeKey"/>: for a duplicate whose original committed while its own insert
    /// ran (the insert's statement could not see it yet).
    /// </summary>
    public async Task<Guid?> FindOwnerAsync(string dedupeKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.DedupeKey == dedupeKey)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);
    }
}
