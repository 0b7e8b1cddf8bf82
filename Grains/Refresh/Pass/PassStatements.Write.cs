using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Abstractions;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Grains.Refresh;

/// <summary>What a pass commits.</summary>
internal static partial class PassStatements
{
    /// <summary>A git-mode run is written as running before its listing, then finished by the same upsert.</summary>
    private const string UpsertRuns = """
        INSERT INTO refreshes ("Id", "WarehouseId", "StartedAt", "FinishedAt", "Status", "Requests", "Coalesced", "NewFreight", "Error")
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::integer[],
            $7::integer[], $8::integer[], $9::text[])
        ON CONFLICT ("Id") DO UPDATE SET "FinishedAt" = excluded."FinishedAt", "Status" = excluded."Status",
            "NewFreight" = excluded."NewFreight", "Error" = excluded."Error"
        """;

    /// <summary>
    /// New Freight; each ref's newest of it as the ref's head (<see cref="Warehouses.FreightHead"/>, updated in place
    /// unless it already holds a newer one); and an outbox row for each that has an outbox id (its warehouse notifies).
    /// A Freight that existed already (the conflict) is neither a head nor notified again.
    /// </summary>
    private const string InsertFreight = """
        WITH x AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::timestamptz[], $11::uuid[], $12::text[], $13::uuid[], $14::timestamptz[])
                AS x(id, warehouse, subscription, repository, url, ref, commit, message, author, at, run, deliveries, outbox,
                    announced)),
        f AS (
            INSERT INTO freight ("Id", "WarehouseId", "SubscriptionId", "RepositoryKey", "RepositoryUrl", "Ref", "Commit",
                "Message", "Author", "DiscoveredAt", "RefreshId", "DeliveryIds", "AnnouncedAt")
            SELECT id, warehouse, subscription, repository, url, ref, commit, message, author, at, run,
                string_to_array(deliveries, ',')::uuid[], announced
            FROM x
            ON CONFLICT ("WarehouseId", "RepositoryKey", "Ref", "Commit") DO NOTHING
            RETURNING "Id", "WarehouseId", "RepositoryKey", "Ref", "Commit", "DiscoveredAt", "AnnouncedAt"),
        h AS (
            INSERT INTO freight_heads ("WarehouseId", "RepositoryKey", "Ref", "FreightId", "Commit", "DiscoveredAt", "AnnouncedAt")
            SELECT DISTINCT ON (f."WarehouseId", f."RepositoryKey", f."Ref")
                f."WarehouseId", f."RepositoryKey", f."Ref", f."Id", f."Commit", f."DiscoveredAt", f."AnnouncedAt"
            FROM f
            ORDER BY f."WarehouseId", f."RepositoryKey", f."Ref", f."DiscoveredAt" DESC, f."Id" DESC
            ON CONFLICT ("WarehouseId", "RepositoryKey", "Ref") DO UPDATE SET "FreightId" = excluded."FreightId",
                "Commit" = excluded."Commit", "DiscoveredAt" = excluded."DiscoveredAt", "AnnouncedAt" = excluded."AnnouncedAt"
            WHERE (excluded."DiscoveredAt", excluded."FreightId") > (freight_heads."DiscoveredAt", freight_heads."FreightId"))
        INSERT INTO notification_outbox ("Id", "FreightId", "WarehouseId", "CreatedAt", "Status", "Rounds", "NextAttemptAt")
        SELECT x.outbox, x.id, x.warehouse, x.at, 'Pending', 0, x.at
        FROM x JOIN f ON f."Id" = x.id
        WHERE x.outbox IS NOT NULL
        """;

    /// <summary>
    /// The requests' outcomes (<see cref="RefreshOutcome"/>, insert-only). The warehouse's lock keeps any other pass from
    /// completing them; should a request be completed twice all the same, the first outcome stands and the batch of
    /// the silo's other warehouses is not failed for it.
    /// </summary>
    private const string CompleteRequests = """
        INSERT INTO refresh_outcomes ("RequestId", "RefreshId", "Outcome", "CompletedAt")
        SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])
        ON CONFLICT ("RequestId") DO NOTHING
        """;

    /// <summary>Completed requests leave the queue (a request is queued exactly while it is not completed).</summary>
    private const string Dequeue = """
        DELETE FROM refresh_queue q USING unnest($1::uuid[], $2::uuid[]) AS x(warehouse, id)
        WHERE q."WarehouseId" = x.warehouse AND q."RequestId" = x.id
        """;

    private const string MarkRefreshed = """
        UPDATE warehouses w SET "LastRefreshAt" = x.at
        FROM unnest($1::uuid[], $2::timestamptz[]) AS x(id, at)
        WHERE w."Id" = x.id
        """;

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
                Column(freight, NpgsqlDbType.Uuid, f => f.Notify ? Guid.CreateVersion7() : (Guid?)null),
                Column(freight, NpgsqlDbType.TimestampTz, f => f.Freight.AnnouncedAt)));
        }

        var completed = writes.SelectMany(w => w.Completed).ToList();
        if (completed.Count > 0)
        {
            batch.BatchCommands.Add(Command(CompleteRequests,
                Column(completed, NpgsqlDbType.Uuid, r => r.Id),
                Column(completed, NpgsqlDbType.Uuid, r => r.RefreshId),
                Column(completed, NpgsqlDbType.Text, r => r.Outcome?.ToString()),
                Column(completed, NpgsqlDbType.TimestampTz, r => r.CompletedAt)));
            batch.BatchCommands.Add(Command(Dequeue,
                Column(completed, NpgsqlDbType.Uuid, r => r.WarehouseId),
                Column(completed, NpgsqlDbType.Uuid, r => r.Id)));
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
}
