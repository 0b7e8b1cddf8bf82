using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// This capability's tables on the product's database, declared here rather than on <see cref="WebhooksDbContext"/>
/// so that the database's folder knows no capability (the mappings are applied from the assembly).
/// </summary>
public static class RefreshTables
{
    extension(WebhooksDbContext db)
    {
        public DbSet<RefreshRequest> RefreshRequests => db.Set<RefreshRequest>();

        /// <summary>The requests not completed yet (see <see cref="QueuedRequest"/>).</summary>
        public DbSet<QueuedRequest> RefreshQueue => db.Set<QueuedRequest>();

        public DbSet<RefreshRun> Refreshes => db.Set<RefreshRun>();

        /// <summary>How requests ended (see <see cref="RefreshOutcome"/>).</summary>
        public DbSet<RefreshOutcome> RefreshOutcomes => db.Set<RefreshOutcome>();

        /// <summary>
        /// The requests with their outcomes (<see cref="RefreshRequest.Outcome"/> and the rest null while pending), not
        /// tracked: for readers; compose filters and order on it as on the table.
        /// </summary>
        public IQueryable<RefreshRequest> RefreshRequestsWithOutcomes =>
            from r in db.RefreshRequests.AsNoTracking()
            join o in db.RefreshOutcomes on r.Id equals o.RequestId into outcomes
            from o in outcomes.DefaultIfEmpty()
            select new RefreshRequest
            {
                Id = r.Id,
                WarehouseId = r.WarehouseId,
                DeliveryId = r.DeliveryId,
                Reason = r.Reason,
                RepositoryKey = r.RepositoryKey,
                Heads = r.Heads,
                RequestedAt = r.RequestedAt,
                ReceivedAt = r.ReceivedAt,
                RefreshId = o == null ? null : o.RefreshId,
                Outcome = o == null ? null : (RefreshRequestOutcome?)o.Outcome,
                CompletedAt = o == null ? null : (DateTimeOffset?)o.CompletedAt,
            };

        /// <summary>
        /// Adds <paramref name="request"/> and, when it is still to be refreshed, its queue row, or else its outcome.
        /// </summary>
        public void AddRefreshRequest(RefreshRequest request)
        {
            db.RefreshRequests.Add(request);
            if (request.CompletedAt is null)
            {
                db.RefreshQueue.Add(QueuedRequest.Of(request));
            }
            else
            {
                db.RefreshOutcomes.Add(RefreshOutcome.Of(request));
            }
        }
    }
}
