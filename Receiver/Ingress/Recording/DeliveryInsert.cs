using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Deliveries;

namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>
/// The INSERT of one history row, written by hand because it sits on the hot path and needs
/// <c>ON CONFLICT … DO NOTHING RETURNING</c> to tell duplicates apart inside a batch. Column names follow the EF model.
/// </summary>
internal static class DeliveryInsert
{
    private const string Sql = """
        INSERT INTO deliveries ("Id", "ReceivedAt", "ProjectId", "ReceiverId", "TokenId", "Source", "Event", "RequestId",
            "DedupeKey", "AttemptNumber", "Outcome", "State", "StatusCode", "Reason", "Headers", "BodySha256", "BodySize",
            "CompressedBody", "Answer", "RepositoryKey", "RemoteAddress", "DurationMs", "ProcessedAt")
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
        ON CONFLICT ("DedupeKey") DO NOTHING
        RETURNING "Id"
        """;

    public static NpgsqlBatchCommand Create(Delivery delivery) => new(Sql)
    {
        Parameters =
        {
            new() { Value = delivery.Id },
            new() { Value = delivery.ReceivedAt },
            new() { Value = (object?)delivery.ProjectId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = (object?)delivery.ReceiverId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = (object?)delivery.TokenId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = delivery.Source },
            new() { Value = (object?)delivery.Event ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)delivery.RequestId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)delivery.DedupeKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)delivery.AttemptNumber ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            new() { Value = delivery.Outcome.ToString() },
            new() { Value = (object?)delivery.State?.ToString() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = delivery.StatusCode },
            new() { Value = (object?)delivery.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = JsonSerializer.Serialize(delivery.Headers), NpgsqlDbType = NpgsqlDbType.Jsonb },
            new() { Value = (object?)delivery.BodySha256 ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea },
            new() { Value = delivery.BodySize },
            new() { Value = (object?)delivery.CompressedBody ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bytea },
            new() { Value = (object?)delivery.Answer ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb },
            new() { Value = (object?)delivery.RepositoryKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)delivery.RemoteAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = delivery.DurationMs },
            new() { Value = (object?)delivery.ProcessedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz },
        },
    };
}
