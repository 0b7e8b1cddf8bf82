using Microsoft.EntityFrameworkCore;
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

        /// <summary>Adds <paramref name="request"/> and, when it is still to be refreshed, its queue row.</summary>
        public void AddRefreshRequest(RefreshRequest request)
        {
            db.RefreshRequests.Add(request);
            if (request.CompletedAt is null)
            {
                db.RefreshQueue.Add(QueuedRequest.Of(request));
            }
        }
    }
}
