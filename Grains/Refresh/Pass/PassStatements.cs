using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Warehouses;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// A refresh pass's SQL, for any number of warehouses at once: what it reads (<see cref="ReadAsync"/>, one round trip
/// that also takes each warehouse's lock) and what it commits (<see cref="WriteAsync"/>, one round trip, one implicit
/// transaction). Written by hand because a pass runs for every push a warehouse follows: through EF Core it was seven
/// round trips on two connections, and PostgreSQL spent more CPU on it than on the delivery itself. Column names
/// follow the EF model.
/// <para>
/// The lock is a PostgreSQL session advisory lock per warehouse, held from the read to the write: a second guard,
/// beside Orleans' one activation per grain, against two refreshes of a warehouse at once. An activation left on a
/// silo the cluster declared dead but that still runs (a zombie, e.g. across a network partition) keeps its lock until
/// its pass ends or its connection drops, and the new activation backs off meanwhile. PostgreSQL releases the lock
/// when the session ends, however it ends, so a crashed process never leaves it held. The connection is the pass's
/// alone between <see cref="ReadAsync"/> and <see cref="UnlockAsync"/>.
/// </para>
/// </summary>
internal static partial class PassStatements
{
    /// <summary>Runs a pass could not close (the database refused): failed, before anything else is read.</summary>
    private const string MarkFailed = """
        UPDATE refreshes SET "Status" = 'Failed', "FinishedAt" = $2, "Error" = $3
        WHERE "Id" = ANY($1) AND "Status" = 'Running'
        """;

    private const string Unlock = "SELECT pg_advisory_unlock_all()";

    /// <summary>Marks a run the pass could not finish as failed, unless something closed it meanwhile.</summary>
    public static async Task MarkFailedAsync(NpgsqlConnection connection, Guid runId, string error, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand(MarkFailed, connection)
        {
            Parameters = { Ids([runId]), Value(now), Value(error) },
        };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Gives back every advisory lock of the connection's session. When the session is broken the locks went with it;
    /// the pool's connections are then dropped, so that a session that could still hold one is never reused. That closes
    /// every idle connection of the process at once, so it is logged.
    /// </summary>
    public static async Task UnlockAsync(NpgsqlConnection connection, ILogger logger)
    {
        try
        {
            await using var command = new NpgsqlCommand(Unlock, connection);
            await command.ExecuteScalarAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException)
        {
            LogUnlockFailed(logger, e.GetType().Name, e.Message);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not give back a refresh pass's locks ({Error}: {Reason}); the connection pool is cleared so that its session is not reused")]
    private static partial void LogUnlockFailed(ILogger logger, string error, string reason);

    /// <summary>
    /// The warehouse id folded to the 64-bit key space of advisory locks. Two warehouses sharing a key (odds about
    /// n²/2⁶⁵) would only ever wait for each other's refresh; the migration lock's constant is as unlikely a match.
    /// </summary>
    internal static long KeyOf(Guid warehouseId)
    {
        Span<byte> bytes = stackalloc byte[16];
        warehouseId.TryWriteBytes(bytes);
        return BitConverter.ToInt64(bytes[..8]) ^ BitConverter.ToInt64(bytes[8..]);
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> lists, TKey key, TValue value) where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(value);
    }

    private static NpgsqlParameter<Guid[]> Ids(IReadOnlyList<Guid> ids) => Column(ids, NpgsqlDbType.Uuid, id => id);

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }
}
