using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Webhooks.Grains.Deliveries;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>
/// The INSERT of a batch of history rows as one statement (one array parameter per column, <c>unnest</c>ed), written by
/// hand because it sits on the hot path and needs <c>ON CONFLICT … DO NOTHING RETURNING</c> to tell duplicates apart:
/// a row whose id comes back was inserted, any other lost its dedupe key to an earlier row. One statement, prepared once
/// per connection, costs PostgreSQL a fraction of one statement per row. Column names follow the EF model.
/// </summary>
internal static class DeliveryInsert
{
    private const string Sql = """
        INSERT INTO deliveries ("Id", "ReceivedAt", "ProjectId", "ReceiverId", "TokenId", "Source", "Event", "RequestId",
            "DedupeKey", "AttemptNumber", "Outcome", "State", "StatusCode", "Reason", "Headers", "BodySha256", "BodySize",
            "CompressedBody", "Answer", "RepositoryKey", "RemoteAddress", "DurationMs", "ProcessedAt")
        SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[],
            $8::text[], $9::text[], $10::integer[], $11::text[], $12::text[], $13::integer[], $14::text[], $15::jsonb[],
            $16::bytea[], $17::integer[], $18::bytea[], $19::jsonb[], $20::text[], $21::text[], $22::double precision[],
            $23::timestamptz[])
        ON CONFLICT ("DedupeKey") DO NOTHING
        RETURNING "Id"
        """;

    /// <summary>The statement for <paramref name="rows"/>, in their order (the order their dedupe keys are locked in).</summary>
    public static NpgsqlCommand Create(IReadOnlyList<Delivery> rows) => new(Sql)
    {
        Parameters =
        {
            Column(rows, NpgsqlDbType.Uuid, d => d.Id),
            Column(rows, NpgsqlDbType.TimestampTz, d => d.ReceivedAt),
            Column(rows, NpgsqlDbType.Uuid, d => d.ProjectId),
            Column(rows, NpgsqlDbType.Uuid, d => d.ReceiverId),
            Column(rows, NpgsqlDbType.Uuid, d => d.TokenId),
            Column(rows, NpgsqlDbType.Text, d => d.Source),
            Column(rows, NpgsqlDbType.Text, d => d.Event),
            Column(rows, NpgsqlDbType.Text, d => d.RequestId),
            Column(rows, NpgsqlDbType.Text, d => d.DedupeKey),
            Column(rows, NpgsqlDbType.Integer, d => d.AttemptNumber),
            Column(rows, NpgsqlDbType.Text, d => d.Outcome.ToString()),
            Column(rows, NpgsqlDbType.Text, d => d.State?.ToString()),
            Column(rows, NpgsqlDbType.Integer, d => d.StatusCode),
            Column(rows, NpgsqlDbType.Text, d => d.Reason),
            Column(rows, NpgsqlDbType.Jsonb, d => JsonSerializer.Serialize(d.Headers)),
            Column(rows, NpgsqlDbType.Bytea, d => d.BodySha256),
            Column(rows, NpgsqlDbType.Integer, d => d.BodySize),
            Column(rows, NpgsqlDbType.Bytea, d => d.CompressedBody),
            Column(rows, NpgsqlDbType.Jsonb, d => d.Answer),
            Column(rows, NpgsqlDbType.Text, d => d.RepositoryKey),
            Column(rows, NpgsqlDbType.Text, d => d.RemoteAddress),
            Column(rows, NpgsqlDbType.Double, d => d.DurationMs),
            Column(rows, NpgsqlDbType.TimestampTz, d => d.ProcessedAt),
        },
    };
}
