using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Tokens;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// Reads the delivery history for the management API and the dashboard alike: filters, keyset paging newest first on
/// (receivedAt, id) — served by the receivedAt indexes — and one delivery in full. A delivery's state and timings are
/// derived (<see cref="DeliveryStatus"/>), never stored on its row.
/// </summary>
public sealed class DeliveryHistory(IDbContextFactory<WebhooksDbContext> dbFactory)
{
    public const int MaxLimit = 500;

    /// <summary>
    /// Up to <paramref name="limit"/> deliveries matching <paramref name="filter"/>, newest first, starting strictly
    /// after <paramref name="before"/>. Rows arriving meanwhile never shift a page.
    /// </summary>
    public async Task<DeliveryListing> ListAsync(
        DeliveryFilter filter, DeliveryCursor? before, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveries = db.Deliveries.AsNoTracking();

        Guid? projectId = null;
        if (filter.Project is not null)
        {
            projectId = await db.Projects.Where(p => p.Name == filter.Project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
            if (projectId is null)
            {
                return DeliveryListing.Missing(DeliveryFilterMiss.UnknownProject);
            }

            deliveries = deliveries.Where(d => d.ProjectId == projectId);
        }

        if (filter.Receiver is not null)
        {
            // Receiver names are unique within a project; without one, the name matches in every project.
            var receiverIds = await db.Receivers
                .Where(r => r.Name == filter.Receiver && (projectId == null || r.ProjectId == projectId))
                .Select(r => (Guid?)r.Id)
                .ToListAsync(cancellationToken);
            if (receiverIds.Count == 0)
            {
                return DeliveryListing.Missing(DeliveryFilterMiss.UnknownReceiver);
            }

            deliveries = deliveries.Where(d => receiverIds.Contains(d.ReceiverId));
        }

        if (filter.Event is not null)
        {
            deliveries = deliveries.Where(d => d.Event == filter.Event);
        }

        if (filter.Outcome is { } outcome)
        {
            deliveries = deliveries.Where(d => d.Outcome == outcome);
        }

        if (filter.Since is { } since)
        {
            deliveries = deliveries.Where(d => d.ReceivedAt >= since);
        }

        if (filter.RequestId is { } requestId)
        {
            deliveries = deliveries.Where(d => d.RequestId == requestId);
        }

        if (filter.Repository is { } repository)
        {
            // A pasted clone or browse URL means its key; keys are stored lower-case; LIKE's wildcards match literally.
            var text = Repositories.RepositoryKey.TryCanonicalize(repository, out var key) ? key : repository.ToLowerInvariant();
            var pattern = "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            deliveries = deliveries.Where(d => d.RepositoryKey != null && EF.Functions.Like(d.RepositoryKey, pattern));
        }

        if (before is { } after)
        {
            // A row-value comparison: PostgreSQL walks the receivedAt index from the cursor on.
            deliveries = deliveries.Where(d =>
                EF.Functions.LessThan(ValueTuple.Create(d.ReceivedAt, d.Id), ValueTuple.Create(after.ReceivedAt, after.Id)));
        }

        var projects = db.Projects;
        var receivers = db.Receivers;
        var tokens = db.ApiTokens;
        var rows = await deliveries
            .OrderByDescending(d => d.ReceivedAt)
            .ThenByDescending(d => d.Id)
            .Take(limit + 1)
            .Select(d => new DeliveryListItem(
                d.Id,
                d.ReceivedAt,
                projects.Where(p => p.Id == d.ProjectId).Select(p => p.Name).FirstOrDefault(),
                receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.Name).FirstOrDefault(),
                tokens.Where(t => t.Id == d.TokenId).Select(t => t.Name).FirstOrDefault(),
                d.Source,
                d.Event,
                d.RequestId,
                d.Outcome,
                d.StatusCode,
                d.Reason,
                d.RepositoryKey,
                db.Set<DeliveryStatus>().Where(s => s.DeliveryId == d.Id).Select(s => (DeliveryState?)s.State).FirstOrDefault(),
                d.DurationMs,
                d.RedeliveryOf))
            .ToListAsync(cancellationToken);

        var page = rows.Take(limit).ToList();
        DeliveryCursor? next = rows.Count > limit ? new DeliveryCursor(page[^1].ReceivedAt, page[^1].Id) : null;
        return new DeliveryListing(page, next);
    }

    /// <summary>
    /// Why requests were rejected since <paramref name="since"/>: each reason with its status code, how many and the
    /// latest, most frequent first (over the outcome + receivedAt index).
    /// </summary>
    public async Task<IReadOnlyList<RejectionReasonCount>> CountRejectionReasonsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Deliveries.AsNoTracking()
            .Where(d => d.Outcome == DeliveryOutcome.Rejected && d.ReceivedAt >= since)
            .GroupBy(d => new { d.Reason, d.StatusCode })
            .Select(g => new { g.Key.Reason, g.Key.StatusCode, Count = g.LongCount(), LatestAt = g.Max(d => d.ReceivedAt) })
            .OrderByDescending(r => r.Count).ThenByDescending(r => r.LatestAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new RejectionReasonCount(r.Reason, r.StatusCode, r.Count, r.LatestAt))];
    }

    /// <summary>One delivery in full, or null when there is none with that id.</summary>
    public async Task<DeliveryRecord?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = db.Projects;
        var receivers = db.Receivers;
        var tokens = db.ApiTokens;
        var row = await db.Deliveries.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new
            {
                Delivery = d,
                Progress = db.Set<DeliveryProgress>().FirstOrDefault(p => p.DeliveryId == d.Id),
                Status = db.Set<DeliveryStatus>().FirstOrDefault(s => s.DeliveryId == d.Id),
                Project = projects.Where(p => p.Id == d.ProjectId).Select(p => p.Name).FirstOrDefault(),
                Receiver = receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.Name).FirstOrDefault(),
                Token = tokens.Where(t => t.Id == d.TokenId).Select(t => t.Name).FirstOrDefault(),
                RedeliveredByName = tokens.Where(t => t.Id == d.RedeliveredBy).Select(t => t.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var d = row.Delivery;
        return new DeliveryRecord(
            d.Id,
            d.ReceivedAt,
            row.Project,
            row.Receiver,
            row.Token,
            d.Source,
            d.Event,
            d.RequestId,
            d.AttemptNumber,
            d.Outcome,
            d.StatusCode,
            d.Reason,
            d.RepositoryKey,
            row.Status?.State,
            d.DurationMs,
            d.RemoteAddress,
            CredentialHeaders.Redact(d.Headers),
            d.BodySize,
            d.BodySha256 is null ? null : Convert.ToHexStringLower(d.BodySha256),
            DeliveryContent.Body(d.CompressedBody),
            DeliveryContent.Answer(d.Answer, row.Status?.Warehouses),
            row.Status?.DispatchedAt,
            row.Status?.ProcessedAt,
            await RefreshesAsync(db, id, cancellationToken),
            d.RedeliveryOf,
            d.RedeliveredBy,
            row.RedeliveredByName,
            await db.Deliveries.Where(r => r.RedeliveryOf == id).OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken),
            Redelivery.Unreplayable(d, row.Progress));
    }

    /// <summary>The refresh requests a delivery made, with their warehouses and the refreshes that handled them.</summary>
    private static async Task<List<DeliveryRefreshRecord>> RefreshesAsync(WebhooksDbContext db, Guid deliveryId, CancellationToken cancellationToken)
    {
        var rows = await db.RefreshRequestsWithOutcomes
            .Where(r => r.DeliveryId == deliveryId)
            .OrderBy(r => r.RequestedAt)
            .Select(r => new
            {
                Request = r,
                Warehouse = db.Set<Warehouse>().Where(w => w.Id == r.WarehouseId).Select(w => new { w.Name, Project = w.Project!.Name }).First(),
                Run = db.Set<RefreshRun>().FirstOrDefault(run => run.Id == r.RefreshId),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(row => new DeliveryRefreshRecord(
            row.Warehouse.Project,
            row.Warehouse.Name,
            row.Request.Id,
            row.Request.Reason,
            row.Request.RequestedAt,
            row.Request.Outcome,
            row.Request.CompletedAt,
            row.Run))];
    }
}
