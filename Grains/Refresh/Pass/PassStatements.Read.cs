using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Abstractions;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Grains.Refresh;

/// <summary>What a pass reads, under the locks it takes in the same round trip.</summary>
internal static partial class PassStatements
{
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

    /// <summary>
    /// The pending requests, warehouse by warehouse: an ordered walk of the warehouse's queue (<see cref="QueuedRequest"/>),
    /// each request then by its key, with its delivery's receive time as the request carries it (joining the deliveries
    /// here was the pass's largest read in the open loop, a history page per request, often evicted by then:
    /// docs/benchmarks.md, step 13). As one <c>"WarehouseId" = ANY(…)</c>, PostgreSQL chose a bitmap scan, which never
    /// marks the index entries of deleted rows dead, so every pass read again every row deleted since the last vacuum.
    /// Only of warehouses that exist: a pass that began before its warehouse was deleted (its grain still held the
    /// configuration) took the request a late dispatch left for it and wrote a run and Freight that nothing would ever
    /// delete; such a request is the refresh sweeper's to delete.
    /// </summary>
    private const string Pending = """
        SELECT r."WarehouseId", r."Id", r."DeliveryId", r."Reason", r."RepositoryKey", r."Heads"::text, r."RequestedAt",
            r."ReceivedAt"
        FROM unnest($1::uuid[]) AS w(id)
        JOIN warehouses x ON x."Id" = w.id
        CROSS JOIN LATERAL (
            SELECT q."RequestId" FROM refresh_queue q WHERE q."WarehouseId" = w.id ORDER BY q."RequestedAt", q."RequestId") q
        JOIN refresh_requests r ON r."Id" = q."RequestId"
        """;

    /// <summary>
    /// Each head the pending requests name: whether it is Freight already (by the Freight's unique key), and the newest
    /// Freight of its ref with when its newest announcing delivery was received (<c>AnnouncedAt</c>, written with the
    /// Freight: probing the deliveries for it cost a primary-key lookup and a heap page per announcing delivery), which
    /// tells a push that reached the warehouse late (<see cref="SupersededPushes"/>). The newest Freight is the ref's row
    /// of <c>freight_heads</c>, by its primary key (an index of <c>freight</c> ordered by ref and time served this query
    /// before, and outgrew the buffer pool); the known check is through the unique key, as <c>LATERAL … LIMIT 1</c>: as
    /// an <c>EXISTS</c>, PostgreSQL may hash the whole Freight table instead, since it takes each request for a hundred
    /// heads (its default for <c>jsonb_array_elements</c>).
    /// </summary>
    private const string Heads = """
        SELECT h.warehouse, h.repository, h.ref, h.commit, k.known IS NOT NULL,
            l."Commit", l."AnnouncedAt"
        FROM (SELECT DISTINCT w.id AS warehouse, e->>'RepositoryKey' AS repository, e->>'Ref' AS ref,
                  e->>'Commit' AS commit
              FROM unnest($1::uuid[]) AS w(id)
              JOIN warehouses x ON x."Id" = w.id
              CROSS JOIN LATERAL (
                  SELECT r."Heads" FROM refresh_queue q JOIN refresh_requests r ON r."Id" = q."RequestId"
                  WHERE q."WarehouseId" = w.id) r
              CROSS JOIN LATERAL jsonb_array_elements(r."Heads") e) h
        LEFT JOIN freight_heads l ON l."WarehouseId" = h.warehouse AND l."RepositoryKey" = h.repository AND l."Ref" = h.ref
        LEFT JOIN LATERAL (
            SELECT true AS known FROM freight k WHERE k."WarehouseId" = h.warehouse AND k."RepositoryKey" = h.repository
                AND k."Ref" = h.ref AND k."Commit" = h.commit LIMIT 1) k ON true
        """;

    /// <summary>Which of a git listing's heads the warehouse has as Freight already.</summary>
    private const string KnownOf = """
        SELECT x.repository, x.ref, x.commit FROM unnest($2::text[], $3::text[], $4::text[]) AS x(repository, ref, commit)
        WHERE EXISTS (SELECT 1 FROM freight f WHERE f."WarehouseId" = $1 AND f."RepositoryKey" = x.repository
            AND f."Ref" = x.ref AND f."Commit" = x.commit)
        """;

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
        batch.BatchCommands.Add(Command(Heads, Ids(warehouses)));

        await using var reader = await batch.ExecuteReaderAsync();
        var locked = new HashSet<Guid>();
        while (await reader.ReadAsync())
        {
            if (reader.GetBoolean(1))
            {
                locked.Add(reader.GetGuid(0));
            }
        }

        var pending = new Dictionary<Guid, List<RefreshRequest>>();
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
                ReceivedAt = reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            };
            Add(pending, request.WarehouseId, request);
        }

        var known = new Dictionary<Guid, List<(string, string, string)>>();
        var latest = new Dictionary<Guid, Dictionary<(string, string), LatestFreight>>();
        await reader.NextResultAsync();
        while (await reader.ReadAsync())
        {
            var (warehouse, repository, refName, commit) = (reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            if (reader.GetBoolean(4))
            {
                Add(known, warehouse, (repository, refName, commit));
            }

            if (!reader.IsDBNull(5))
            {
                var of = latest.TryGetValue(warehouse, out var found) ? found : latest[warehouse] = [];
                of[(repository, refName)] = new LatestFreight(reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
            }
        }

        return warehouses.Distinct().ToDictionary(id => id, id => locked.Contains(id)
            ? new PassState(
                pending.GetValueOrDefault(id) ?? [],
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
}
