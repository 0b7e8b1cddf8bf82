using System.Text.Json;
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
internal static class PassStatements
{
    /// <summary>Runs a pass could not close (the database refused): failed, before anything else is read.</summary>
    private const string MarkFailed = """
        UPDATE refreshes SET "Status" = 'Failed', "FinishedAt" = $2, "Error" = $3
        WHERE "Id" = ANY($1) AND "Status" = 'Running'
        """;

    /// <summary>
    /// Taking the locks and closing the runs their last holders left running, in one statement: a warehouse's runs are
    /// marked interrupted only if its lock was taken (<c>l</c> is computed once). Under the lock no other pass runs for
    /// the warehouse, so a run still "running" then is one a pass could not close: it died with its silo, or its row
    /// was committed as PostgreSQL went down and the pass never learnt it.
    /// </summary>
    private const string Lock = """
        WITH l AS MATERIALIZED (
            SELECT w.id, pg_try_advisory_lock(w.key) AS locked FROM unnest($1::uuid[], $2::bigint[]) AS w(id, key)),
        closed AS (
            UPDATE refreshes r SET "Status" = 'Interrupted', "FinishedAt" = $3
            FROM l WHERE l.locked AND r."WarehouseId" = l.id AND r."Status" = 'Running')
        SELECT id, locked FROM l
        """;

    private const string Pending = """
        SELECT r."WarehouseId", r."Id", r."DeliveryId", r."Reason", r."RepositoryKey", r."Heads"::text, r."RequestedAt",
            d."ReceivedAt"
        FROM refresh_requests r LEFT JOIN deliveries d ON d."Id" = r."DeliveryId"
        WHERE r."WarehouseId" = ANY($1) AND r."CompletedAt" IS NULL
        ORDER BY r."RequestedAt", r."Id"
        """;

    /// <summary>The pending requests' heads that are Freight already (by the Freight's unique key).</summary>
    private const string Known = """
        SELECT DISTINCT f."WarehouseId", f."RepositoryKey", f."Ref", f."Commit"
        FROM refresh_requests r CROSS JOIN LATERAL jsonb_array_elements(r."Heads") h
        JOIN freight f ON f."WarehouseId" = r."WarehouseId" AND f."RepositoryKey" = h->>'RepositoryKey'
            AND f."Ref" = h->>'Ref' AND f."Commit" = h->>'Commit'
        WHERE r."WarehouseId" = ANY($1) AND r."CompletedAt" IS NULL
        """;

    /// <summary>
    /// The newest Freight of each ref a pending push names, and when its newest announcing delivery was received: what
    /// tells a push that reached the warehouse late (<see cref="SupersededPushes"/>). One index probe per ref.
    /// </summary>
    private const string Latest = """
        SELECT k.warehouse, k.repository, k.ref, f."Commit",
            (SELECT max(d."ReceivedAt") FROM deliveries d WHERE d."Id" = ANY(f."DeliveryIds"))
        FROM (SELECT DISTINCT r."WarehouseId" AS warehouse, h->>'RepositoryKey' AS repository, h->>'Ref' AS ref
              FROM refresh_requests r CROSS JOIN LATERAL jsonb_array_elements(r."Heads") h
              WHERE r."WarehouseId" = ANY($1) AND r."CompletedAt" IS NULL AND r."DeliveryId" IS NOT NULL) k
        CROSS JOIN LATERAL (
            SELECT f."Commit", f."DeliveryIds" FROM freight f
            WHERE f."WarehouseId" = k.warehouse AND f."RepositoryKey" = k.repository AND f."Ref" = k.ref
            ORDER BY f."DiscoveredAt" DESC, f."Id" DESC LIMIT 1) f
        """;

    /// <summary>Which of a git listing's heads the warehouse has as Freight already.</summary>
    private const string KnownOf = """
        SELECT x.repository, x.ref, x.commit FROM unnest($2::text[], $3::text[], $4::text[]) AS x(repository, ref, commit)
        WHERE EXISTS (SELECT 1 FROM freight f WHERE f."WarehouseId" = $1 AND f."RepositoryKey" = x.repository
            AND f."Ref" = x.ref AND f."Commit" = x.commit)
        """;

    /// <summary>A git-mode run is written as running before its listing, then finished by the same upsert.</summary>
    private const string UpsertRuns = """
        INSERT INTO refreshes ("Id", "WarehouseId", "StartedAt", "FinishedAt", "Status", "Requests", "Coalesced", "NewFreight", "Error")
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::integer[],
            $7::integer[], $8::integer[], $9::text[])
        ON CONFLICT ("Id") DO UPDATE SET "FinishedAt" = excluded."FinishedAt", "Status" = excluded."Status",
            "NewFreight" = excluded."NewFreight", "Error" = excluded."Error"
        """;

    /// <summary>New Freight, and an outbox row for each that has an outbox id (its warehouse notifies).</summary>
    private const string InsertFreight = """
        WITH x AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::timestamptz[], $11::uuid[], $12::text[], $13::uuid[])
                AS x(id, warehouse, subscription, repository, url, ref, commit, message, author, at, run, deliveries, outbox)),
        f AS (
            INSERT INTO freight ("Id", "WarehouseId", "SubscriptionId", "RepositoryKey", "RepositoryUrl", "Ref", "Commit",
                "Message", "Author", "DiscoveredAt", "RefreshId", "DeliveryIds")
            SELECT id, warehouse, subscription, repository, url, ref, commit, message, author, at, run,
                string_to_array(deliveries, ',')::uuid[]
            FROM x
            ON CONFLICT ("WarehouseId", "RepositoryKey", "Ref", "Commit") DO NOTHING
            RETURNING "Id")
        INSERT INTO notification_outbox ("Id", "FreightId", "WarehouseId", "CreatedAt", "Status", "Rounds", "NextAttemptAt")
        SELECT x.outbox, x.id, x.warehouse, x.at, 'Pending', 0, x.at
        FROM x JOIN f ON f."Id" = x.id
        WHERE x.outbox IS NOT NULL
        """;

    private const string CompleteRequests = """
        UPDATE refresh_requests r SET "RefreshId" = x.run, "Outcome" = x.outcome, "CompletedAt" = x.at
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS x(id, run, outcome, at)
        WHERE r."Id" = x.id
        """;

    private const string MarkRefreshed = """
        UPDATE warehouses w SET "LastRefreshAt" = x.at
        FROM unnest($1::uuid[], $2::timestamptz[]) AS x(id, at)
        WHERE w."Id" = x.id
        """;

    private const string Unlock = "SELECT pg_advisory_unlock_all()";

    /// <summary>
    /// Marks <paramref name="unfinishedRuns"/> failed, takes the locks of <paramref name="warehouses"/> and reads what
    /// their passes need: by warehouse, its state, or null when another session holds its lock. Every lock taken stays
    /// held by the connection's session until <see cref="UnlockAsync"/> or a write that unlocks.
    /// </summary>
    public static async Task<Dictionary<Guid, PassState?>> ReadAsync(
        NpgsqlConnection connection, IReadOnlyList<Guid> warehouses, IReadOnlyList<Guid> unfinishedRuns, string unfinishedError, DateTimeOffset now)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (unfinishedRuns.Count > 0)
        {
            batch.BatchCommands.Add(Command(MarkFailed, Ids(unfinishedRuns), Value(now), Value(unfinishedError)));
        }

        batch.BatchCommands.Add(Command(Lock, Ids(warehouses), Column(warehouses, NpgsqlDbType.Bigint, KeyOf), Value(now)));
        batch.BatchCommands.Add(Command(Pending, Ids(warehouses)));
        batch.BatchCommands.Add(Command(Known, Ids(warehouses)));
        batch.BatchCommands.Add(Command(Latest, Ids(warehouses)));

        await using var reader = await batch.ExecuteReaderAsync();
        var locked = new HashSet<Guid>();
        while (await reader.ReadAsync())
        {
            if (reader.GetBoolean(1))
            {
                locked.Add(reader.GetGuid(0));
            }
        }

        var pending = new Dictionary<Guid, (List<RefreshRequest> Requests, Dictionary<Guid, DateTimeOffset> Received)>();
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            var request = new RefreshRequest
            {
                WarehouseId = reader.GetGuid(0),
                Id = reader.GetGuid(1),
                DeliveryId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                Reason = Enum.Parse<RefreshReason>(reader.GetString(3)),
                RepositoryKey = reader.IsDBNull(4) ? null : reader.GetString(4),
                // As the EF model's value converter reads them.
                Heads = JsonSerializer.Deserialize<List<RequestedHead>>(reader.GetString(5), JsonSerializerOptions.Default) ?? [],
                RequestedAt = reader.GetFieldValue<DateTimeOffset>(6),
            };
            var of = pending.TryGetValue(request.WarehouseId, out var found) ? found : pending[request.WarehouseId] = ([], []);
            of.Requests.Add(request);
            if (request.DeliveryId is { } deliveryId && !reader.IsDBNull(7))
            {
                of.Received[deliveryId] = reader.GetFieldValue<DateTimeOffset>(7);
            }
        }

        var known = new Dictionary<Guid, List<(string, string, string)>>();
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            Add(known, reader.GetGuid(0), (reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }

        var latest = new Dictionary<Guid, Dictionary<(string, string), LatestFreight>>();
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            var of = latest.TryGetValue(reader.GetGuid(0), out var found) ? found : latest[reader.GetGuid(0)] = [];
            of[(reader.GetString(1), reader.GetString(2))] =
                new LatestFreight(reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
        }

        return warehouses.Distinct().ToDictionary(id => id, id => locked.Contains(id)
            ? new PassState(
                pending.TryGetValue(id, out var p) ? p.Requests : [],
                pending.TryGetValue(id, out p) ? p.Received : [],
                KnownHeads.Of(known.GetValueOrDefault(id) ?? []),
                latest.GetValueOrDefault(id) ?? [])
            : null);
    }

    /// <summary>Which of <paramref name="heads"/> the warehouse has as Freight already.</summary>
    public static async Task<KnownHeads> KnownAsync(
        NpgsqlConnection connection, Guid warehouseId, IReadOnlyList<(string RepositoryKey, string Ref, string Commit)> heads)
    {
        if (heads.Count == 0)
        {
            return KnownHeads.Of([]);
        }

        await using var command = new NpgsqlCommand(KnownOf, connection)
        {
            Parameters =
            {
                Value(warehouseId),
                Column(heads, NpgsqlDbType.Text, h => h.RepositoryKey),
                Column(heads, NpgsqlDbType.Text, h => h.Ref),
                Column(heads, NpgsqlDbType.Text, h => h.Commit),
            },
        };
        await using var reader = await command.ExecuteReaderAsync();
        var known = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            known.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return KnownHeads.Of(known);
    }

    /// <summary>
    /// Commits <paramref name="writes"/> in one transaction and, when <paramref name="unlock"/>, then gives back every
    /// lock of the session (after a failure the locks stay held: <see cref="UnlockAsync"/>).
    /// </summary>
    public static async Task WriteAsync(NpgsqlConnection connection, IReadOnlyList<PassWrite> writes, bool unlock)
    {
        await using var batch = new NpgsqlBatch(connection);
        var runs = writes.Where(w => w.Run is not null).Select(w => w.Run!).ToList();
        if (runs.Count > 0)
        {
            batch.BatchCommands.Add(Command(UpsertRuns,
                Column(runs, NpgsqlDbType.Uuid, r => r.Id),
                Column(runs, NpgsqlDbType.Uuid, r => r.WarehouseId),
                Column(runs, NpgsqlDbType.TimestampTz, r => r.StartedAt),
                Column(runs, NpgsqlDbType.TimestampTz, r => r.FinishedAt),
                Column(runs, NpgsqlDbType.Text, r => r.Status.ToString()),
                Column(runs, NpgsqlDbType.Integer, r => r.Requests),
                Column(runs, NpgsqlDbType.Integer, r => r.Coalesced),
                Column(runs, NpgsqlDbType.Integer, r => r.NewFreight),
                Column(runs, NpgsqlDbType.Text, r => r.Error)));
        }

        var freight = writes.SelectMany(w => w.Freight.Select(f => (Freight: f, w.Notify))).ToList();
        if (freight.Count > 0)
        {
            batch.BatchCommands.Add(Command(InsertFreight,
                Column(freight, NpgsqlDbType.Uuid, f => f.Freight.Id),
                Column(freight, NpgsqlDbType.Uuid, f => f.Freight.WarehouseId),
                Column(freight, NpgsqlDbType.Uuid, f => f.Freight.SubscriptionId),
                Column(freight, NpgsqlDbType.Text, f => f.Freight.RepositoryKey),
                Column(freight, NpgsqlDbType.Text, f => f.Freight.RepositoryUrl),
                Column(freight, NpgsqlDbType.Text, f => f.Freight.Ref),
                Column(freight, NpgsqlDbType.Text, f => f.Freight.Commit),
                Column(freight, NpgsqlDbType.Text, f => f.Freight.Message),
                Column(freight, NpgsqlDbType.Text, f => f.Freight.Author),
                Column(freight, NpgsqlDbType.TimestampTz, f => f.Freight.DiscoveredAt),
                Column(freight, NpgsqlDbType.Uuid, f => f.Freight.RefreshId),
                Column(freight, NpgsqlDbType.Text, f => string.Join(',', f.Freight.DeliveryIds)),
                Column(freight, NpgsqlDbType.Uuid, f => f.Notify ? Guid.CreateVersion7() : (Guid?)null)));
        }

        var completed = writes.SelectMany(w => w.Completed).ToList();
        if (completed.Count > 0)
        {
            batch.BatchCommands.Add(Command(CompleteRequests,
                Column(completed, NpgsqlDbType.Uuid, r => r.Id),
                Column(completed, NpgsqlDbType.Uuid, r => r.RefreshId),
                Column(completed, NpgsqlDbType.Text, r => r.Outcome?.ToString()),
                Column(completed, NpgsqlDbType.TimestampTz, r => r.CompletedAt)));
        }

        var refreshed = writes.Where(w => w.RefreshedAt is not null).ToList();
        if (refreshed.Count > 0)
        {
            batch.BatchCommands.Add(Command(MarkRefreshed,
                Column(refreshed, NpgsqlDbType.Uuid, w => w.WarehouseId),
                Column(refreshed, NpgsqlDbType.TimestampTz, w => w.RefreshedAt!.Value)));
        }

        if (unlock)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(Unlock));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Marks a run the pass could not finish as failed, unless something closed it meanwhile.</summary>
    public static async Task MarkFailedAsync(NpgsqlConnection connection, Guid runId, string error, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand(MarkFailed, connection)
        {
            Parameters = { Ids([runId]), Value(now), Value(error) },
        };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Gives back every advisory lock of the connection's session.</summary>
    public static async Task UnlockAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(Unlock, connection);
        await command.ExecuteScalarAsync();
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
