using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Deliveries;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// What one dispatch batch writes (the deliveries' requests, and their move to dispatched through
/// <see cref="DeliveryLifecycle"/>), as one <see cref="NpgsqlBatch"/>: one round trip, one implicit transaction (a batch
/// without an explicit transaction commits or rolls back as a whole). Written by hand because it runs once per batch
/// of pushes under load and needs <c>ON CONFLICT … DO NOTHING</c>: a delivery asks each warehouse once, however often
/// it is dispatched. Column names follow the EF model.
/// </summary>
internal static class DispatchStatements
{
    /// <summary>
    /// The requests of every (delivery, warehouse) pair; a warehouse deleted since the repository grain loaded its
    /// subscriptions is skipped. Each carries its delivery's receive time, read here from the history row just committed
    /// (a page still in the buffer pool) so that no pass reads it later. Each request written is queued
    /// (<see cref="QueuedRequest"/>). Returns the reason of each request written (a re-dispatch writes none).
    /// </summary>
    private const string InsertRequests = """
        WITH r AS (
            INSERT INTO refresh_requests ("Id", "WarehouseId", "DeliveryId", "Reason", "RepositoryKey", "Heads", "RequestedAt",
                "ReceivedAt")
            SELECT x.*, (SELECT d."ReceivedAt" FROM deliveries d WHERE d."Id" = x.delivery)
            FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])
                AS x(id, warehouse, delivery, reason, repository, heads, requested_at)
            WHERE EXISTS (SELECT 1 FROM warehouses w WHERE w."Id" = x.warehouse)
            ORDER BY x.warehouse, x.delivery
            ON CONFLICT ("WarehouseId", "DeliveryId") WHERE "DeliveryId" IS NOT NULL DO NOTHING
            RETURNING "Id", "WarehouseId", "RequestedAt", "Reason"),
        q AS (
            INSERT INTO refresh_queue ("WarehouseId", "RequestedAt", "RequestId")
            SELECT "WarehouseId", "RequestedAt", "Id" FROM r)
        SELECT "Reason" FROM r
        """;

    /// <summary>The batch writing <paramref name="requests"/> and marking <paramref name="deliveries"/>.</summary>
    public static NpgsqlBatch Create(
        NpgsqlConnection connection,
        IReadOnlyList<RefreshRequest> requests,
        IReadOnlyList<(Guid DeliveryId, int Warehouses)> deliveries,
        DateTimeOffset at)
    {
        var batch = new NpgsqlBatch(connection);
        if (requests.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertRequests)
            {
                Parameters =
                {
                    Column(requests, NpgsqlDbType.Uuid, r => r.Id),
                    Column(requests, NpgsqlDbType.Uuid, r => r.WarehouseId),
                    Column(requests, NpgsqlDbType.Uuid, r => r.DeliveryId),
                    Column(requests, NpgsqlDbType.Text, r => r.Reason.ToString()),
                    Column(requests, NpgsqlDbType.Text, r => r.RepositoryKey),
                    // As the EF model's value converter writes them.
                    Column(requests, NpgsqlDbType.Jsonb, r => JsonSerializer.Serialize(r.Heads, JsonSerializerOptions.Default)),
                    Column(requests, NpgsqlDbType.TimestampTz, r => r.RequestedAt),
                },
            });
        }

        batch.BatchCommands.Add(DeliveryLifecycle.MarkDispatched(deliveries, at));
        return batch;
    }
}
