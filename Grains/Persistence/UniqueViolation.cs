using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Webhooks.Grains.Persistence;

public static class UniqueViolation
{
    /// <summary>
    /// Whether PostgreSQL refused the save because of a unique index: the loser of a race between two creates of
    /// the same name, which the existence check before it cannot rule out.
    /// </summary>
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
