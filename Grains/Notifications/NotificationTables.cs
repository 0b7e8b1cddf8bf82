using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// This capability's tables on the product's database, declared here rather than on <see cref="WebhooksDbContext"/>
/// so that the database's folder knows no capability (the mappings are applied from the assembly).
/// </summary>
public static class NotificationTables
{
    extension(WebhooksDbContext db)
    {
        public DbSet<NotificationOutboxEntry> NotificationOutbox => db.Set<NotificationOutboxEntry>();

        public DbSet<NotificationAttempt> NotificationAttempts => db.Set<NotificationAttempt>();
    }
}
