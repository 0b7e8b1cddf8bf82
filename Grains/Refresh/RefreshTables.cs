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

        public DbSet<RefreshRun> Refreshes => db.Set<RefreshRun>();
    }
}
