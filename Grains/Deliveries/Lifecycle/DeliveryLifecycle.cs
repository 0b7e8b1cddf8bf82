using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// The one owner of a delivery's lifecycle: accepted (committed by ingress or a redelivery, <see cref="DeliveryInsert"/>)
/// → dispatched (its refresh requests written, <see cref="MarkDispatched"/>) → processed (none of them open, derived by
/// <see cref="DeliveryStatus"/>), plus re-routing what was left accepted (<see cref="StrandedAsync"/>), what may be
/// pruned (<see cref="Prunable"/>) and replays (<see cref="Replay"/>). Every transition writes the narrow
/// <see cref="DeliveryProgress"/> row; the delivery's history row is written once, at ingress, and never updated: two
/// UPDATEs of a kilobytes-wide row with all its index entries (never HOT) were the largest share of PostgreSQL's work
/// per delivery.
/// </summary>
public static class DeliveryLifecycle
{
    /// <summary>
    /// Dispatched: when, and how many warehouses were asked. Only a delivery not dispatched before (a re-dispatch by the
    /// sweeper keeps the first time) nor already processed.
    /// </summary>
    private const string MarkDispatchedSql = """
        UPDATE delivery_progress p SET "DispatchedAt" = $3, "Warehouses" = x.n
        FROM unnest($1::uuid[], $2::integer[]) AS x(id, n)
        WHERE p."DeliveryId" = x.id AND p."DispatchedAt" IS NULL AND p."ProcessedAt" IS NULL
        """;

    /// <summary>
    /// What makes two requests one delivery: the key PostgreSQL's unique index holds for the delivery that owns a
    /// (scope, delivery id), or (scope, body) when Bitbucket sent no delivery id. <see cref="DeliveryInsert"/>'s statement
    /// is the only duplicate check on the ingress path.
    /// </summary>
    public static string DedupeKey(string scope, string? requestId, byte[] bodySha256) =>
        string.IsNullOrEmpty(requestId) ? $"{scope}:sha256:{Convert.ToHexStringLower(bodySha256)}" : $"{scope}:{requestId}";

    /// <summary>
    /// The delivery that owns <paramref name="dedupeKey"/>: for a duplicate whose original committed while its own insert
    /// ran (the insert's statement could not see it yet).
    /// </summary>
    public static Task<Guid?> OwnerAsync(WebhooksDbContext db, string dedupeKey, CancellationToken cancellationToken) =>
        db.Deliveries.AsNoTracking()
            .Where(d => d.DedupeKey == dedupeKey)
            .Select(d => (Guid?)d.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The state a new history row starts its lifecycle in: null for rows nobody acts on.</summary>
    /// <param name="acted">Accepted (a push, a mirror sync, a pull request), not ignored, duplicate or rejected.</param>
    /// <param name="routed">Handed to the refresh engine; an acted delivery that is not is processed at once.</param>
    public static DeliveryState? Start(bool acted, bool routed) =>
        routed ? DeliveryState.Accepted : acted ? DeliveryState.Processed : null;

    /// <summary>The statement marking <paramref name="deliveries"/> dispatched at <paramref name="at"/>, for a dispatch batch.</summary>
    public static NpgsqlBatchCommand MarkDispatched(IReadOnlyList<(Guid DeliveryId, int Warehouses)> deliveries, DateTimeOffset at) => new(MarkDispatchedSql)
    {
        Parameters =
        {
            Column(deliveries, NpgsqlDbType.Uuid, d => d.DeliveryId),
            Column(deliveries, NpgsqlDbType.Integer, d => d.Warehouses),
            new NpgsqlParameter<DateTimeOffset> { TypedValue = at, NpgsqlDbType = NpgsqlDbType.TimestampTz },
        },
    };

    /// <summary>Deliveries accepted no later than <paramref name="acceptedBefore"/> and still not dispatched, oldest first.</summary>
    public static async Task<List<StrandedDelivery>> StrandedAsync(WebhooksDbContext db, DateTimeOffset acceptedBefore, int take, CancellationToken cancellationToken)
    {
        var receivers = db.Receivers;
        return await (
                from p in db.DeliveryProgress
                where p.DispatchedAt == null && p.ProcessedAt == null && p.AcceptedAt <= acceptedBefore
                join d in db.Deliveries on p.DeliveryId equals d.Id
                orderby p.AcceptedAt
                select new StrandedDelivery(
                    d.Id,
                    d.Source,
                    d.Event,
                    d.CompressedBody,
                    receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.ServerUrl).FirstOrDefault()))
            .Take(take)
            .AsNoTracking()
            .ToListAsync(cancellationToken);
    }

    /// <summary>Processed without a dispatch: the stored body holds nothing to route (any more).</summary>
    public static Task MarkProcessedWithoutDispatchAsync(WebhooksDbContext db, Guid deliveryId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.DeliveryProgress
            .Where(p => p.DeliveryId == deliveryId && p.DispatchedAt == null && p.ProcessedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.ProcessedAt, at), cancellationToken);

    /// <summary>Deliveries received before <paramref name="cutoff"/> that retention may delete: finished, or never acted on.</summary>
    public static IQueryable<Delivery> Prunable(WebhooksDbContext db, DateTimeOffset cutoff) =>
        db.Deliveries.Where(d => d.ReceivedAt < cutoff
            && !db.Set<DeliveryStatus>().Any(s => s.DeliveryId == d.Id && s.State != DeliveryState.Processed));

    /// <summary>
    /// The lifecycle of <paramref name="replay"/>, a redelivery's new row: accepted, waiting for its dispatch. Saved
    /// together with the row.
    /// </summary>
    public static DeliveryProgress Replay(Delivery replay) => new() { DeliveryId = replay.Id, AcceptedAt = replay.ReceivedAt };

    /// <summary>The state of one delivery, with its dispatch and processing times; null when nobody acts on it.</summary>
    public static Task<DeliveryStatus?> StatusAsync(WebhooksDbContext db, Guid deliveryId, CancellationToken cancellationToken) =>
        db.DeliveryStatus.AsNoTracking().FirstOrDefaultAsync(s => s.DeliveryId == deliveryId, cancellationToken);
}

/// <summary>A delivery left accepted, with what re-routing it needs: its stored body and its receiver's server URL.</summary>
public sealed record StrandedDelivery(Guid Id, string Source, string? Event, byte[]? CompressedBody, string? ServerUrl);
