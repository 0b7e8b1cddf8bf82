using Npgsql;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// A PostgreSQL session advisory lock on one warehouse, held for the length of a refresh pass: a second guard, beside
/// Orleans' one activation per grain, against two refreshes of a warehouse at once. An activation left on a silo the
/// cluster has declared dead but that still runs (a zombie, e.g. across a network partition) keeps its lock until its
/// pass ends or its connection drops, and the new activation backs off meanwhile instead of refreshing beside it.
/// PostgreSQL releases the lock when the session ends, however it ends, so a crashed process never leaves it held.
/// </summary>
internal sealed class WarehouseRefreshLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;

    private WarehouseRefreshLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>
    /// Taking the lock and closing the runs its last holder left running, in one statement: the runs are marked
    /// interrupted only if the lock was taken (<c>l</c> is computed once, whichever part of the statement reads it
    /// first). Under the lock no other pass runs for the warehouse, so a run still "running" then is one a pass could not
    /// close: it died with its silo, or its row was committed as PostgreSQL went down and the pass never learnt it (the
    /// chaos tests restarting PostgreSQL under load left such runs "running" for good).
    /// </summary>
    private const string AcquireSql = """
        WITH l AS MATERIALIZED (SELECT pg_try_advisory_lock($1) AS locked),
        closed AS (
            UPDATE refreshes SET "Status" = 'Interrupted', "FinishedAt" = $3
            WHERE "WarehouseId" = $2 AND "Status" = 'Running' AND (SELECT locked FROM l))
        SELECT locked FROM l
        """;

    /// <summary>The lock, or null when another session holds it; taken at <paramref name="now"/>.</summary>
    public static async Task<WarehouseRefreshLock?> TryAcquireAsync(NpgsqlDataSource dataSource, Guid warehouseId, DateTimeOffset now)
    {
        var key = KeyOf(warehouseId);
        var connection = await dataSource.OpenConnectionAsync();
        try
        {
            await using var command = new NpgsqlCommand(AcquireSql, connection)
            {
                Parameters =
                {
                    new NpgsqlParameter<long> { TypedValue = key },
                    new NpgsqlParameter<Guid> { TypedValue = warehouseId },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
                },
            };
            if (await command.ExecuteScalarAsync() is true)
            {
                return new WarehouseRefreshLock(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

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

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
            command.Parameters.Add(new NpgsqlParameter { Value = _key });
            await command.ExecuteScalarAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ObjectDisposedException)
        {
            // The session is broken or gone, and the lock went with it. A session that could still hold it is not put
            // back in the pool: it is closed for good below.
            NpgsqlConnection.ClearPool(_connection);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
