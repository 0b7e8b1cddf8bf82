using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using static Webhooks.Grains.Persistence.ArrayParameter;

namespace Webhooks.Grains.Deliveries;

/// <summary>A history row to insert, the state its lifecycle starts in (null: none) and the scope it is deduplicated in.</summary>
public sealed record NewDelivery(Delivery Row, DeliveryState? State, string? Scope);

/// <summary>
/// The INSERT of a batch of history rows as one statement (one array parameter per column, <c>unnest</c>ed), written by
/// hand because it sits on the hot path. It is also the only duplicate check there: PostgreSQL's unique dedupe key
/// (<c>ON CONFLICT … DO NOTHING</c>), and, in the same statement, a replay of a body already accepted in the scope within
/// the dedupe window. Each row comes back with whether it was inserted and, when not, the delivery it repeats as seen
/// by the statement (null when that one committed after the statement began: ask again). The accepted rows' lifecycle
/// starts in the same statement (<see cref="DeliveryProgress"/>). Column names follow the EF model.
/// </summary>
public static class DeliveryInsert
{
    private const string Sql = """
        WITH batch AS (
            SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::uuid[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::integer[], $11::text[], $12::integer[], $13::text[], $14::jsonb[],
                $15::bytea[], $16::integer[], $17::bytea[], $18::jsonb[], $19::text[], $20::text[], $21::double precision[],
                $22::text[], $23::text[]) WITH ORDINALITY
                AS b("Id", "ReceivedAt", "ProjectId", "ReceiverId", "TokenId", "Source", "Event", "RequestId", "DedupeKey",
                    "AttemptNumber", "Outcome", "StatusCode", "Reason", "Headers", "BodySha256", "BodySize", "CompressedBody",
                    "Answer", "RepositoryKey", "RemoteAddress", "DurationMs", state, scope, position)
        ),
        inserted AS (
            INSERT INTO deliveries ("Id", "ReceivedAt", "ProjectId", "ReceiverId", "TokenId", "Source", "Event", "RequestId",
                "DedupeKey", "AttemptNumber", "Outcome", "StatusCode", "Reason", "Headers", "BodySha256", "BodySize",
                "CompressedBody", "Answer", "RepositoryKey", "RemoteAddress", "DurationMs")
            SELECT b."Id", b."ReceivedAt", b."ProjectId", b."ReceiverId", b."TokenId", b."Source", b."Event", b."RequestId",
                b."DedupeKey", b."AttemptNumber", b."Outcome", b."StatusCode", b."Reason", b."Headers", b."BodySha256",
                b."BodySize", b."CompressedBody", b."Answer", b."RepositoryKey", b."RemoteAddress", b."DurationMs"
            FROM batch b
            WHERE b."DedupeKey" IS NULL OR NOT EXISTS (SELECT 1 FROM deliveries d
                WHERE d."BodySha256" = b."BodySha256" AND d."DedupeKey" IS NOT NULL AND d."ReceivedAt" > $24
                    AND left(d."DedupeKey", length(b.scope) + 1) = b.scope || ':')
            ORDER BY b.position
            ON CONFLICT ("DedupeKey") DO NOTHING
            RETURNING "Id"
        ),
        progress AS (
            INSERT INTO delivery_progress ("DeliveryId", "AcceptedAt", "ProcessedAt")
            SELECT b."Id", b."ReceivedAt", CASE WHEN b.state = 'Processed' THEN b."ReceivedAt" END
            FROM batch b JOIN inserted i ON i."Id" = b."Id"
            WHERE b.state IS NOT NULL
        )
        SELECT b."Id", i."Id" IS NOT NULL,
            CASE WHEN i."Id" IS NULL AND b."DedupeKey" IS NOT NULL THEN (SELECT d."Id" FROM deliveries d
                WHERE d."DedupeKey" = b."DedupeKey"
                    OR (d."BodySha256" = b."BodySha256" AND d."DedupeKey" IS NOT NULL AND d."ReceivedAt" > $24
                        AND left(d."DedupeKey", length(b.scope) + 1) = b.scope || ':')
                ORDER BY d."ReceivedAt" LIMIT 1) END
        FROM batch b LEFT JOIN inserted i ON i."Id" = b."Id"
        """;

    /// <summary>
    /// The statement for <paramref name="rows"/>, in their order (the order their dedupe keys are locked in); a body seen
    /// in the same scope since <paramref name="bodyReplaySince"/> makes a row a duplicate.
    /// </summary>
    public static NpgsqlCommand Create(IReadOnlyList<NewDelivery> rows, DateTimeOffset bodyReplaySince) => new(Sql)
    {
        Parameters =
        {
            Column(rows, NpgsqlDbType.Uuid, n => n.Row.Id),
            Column(rows, NpgsqlDbType.TimestampTz, n => n.Row.ReceivedAt),
            Column(rows, NpgsqlDbType.Uuid, n => n.Row.ProjectId),
            Column(rows, NpgsqlDbType.Uuid, n => n.Row.ReceiverId),
            Column(rows, NpgsqlDbType.Uuid, n => n.Row.TokenId),
            Column(rows, NpgsqlDbType.Text, n => n.Row.Source),
            Column(rows, NpgsqlDbType.Text, n => n.Row.Event),
            Column(rows, NpgsqlDbType.Text, n => n.Row.RequestId),
            Column(rows, NpgsqlDbType.Text, n => n.Row.DedupeKey),
            Column(rows, NpgsqlDbType.Integer, n => n.Row.AttemptNumber),
            Column(rows, NpgsqlDbType.Text, n => n.Row.Outcome.ToString()),
            Column(rows, NpgsqlDbType.Integer, n => n.Row.StatusCode),
            Column(rows, NpgsqlDbType.Text, n => n.Row.Reason),
            Column(rows, NpgsqlDbType.Jsonb, n => JsonSerializer.Serialize(n.Row.Headers)),
            Column(rows, NpgsqlDbType.Bytea, n => n.Row.BodySha256),
            Column(rows, NpgsqlDbType.Integer, n => n.Row.BodySize),
            Column(rows, NpgsqlDbType.Bytea, n => n.Row.CompressedBody),
            Column(rows, NpgsqlDbType.Jsonb, n => n.Row.Answer),
            Column(rows, NpgsqlDbType.Text, n => n.Row.RepositoryKey),
            Column(rows, NpgsqlDbType.Text, n => n.Row.RemoteAddress),
            Column(rows, NpgsqlDbType.Double, n => n.Row.DurationMs),
            Column(rows, NpgsqlDbType.Text, n => n.State?.ToString()),
            Column(rows, NpgsqlDbType.Text, n => n.Scope),
            new NpgsqlParameter<DateTimeOffset> { TypedValue = bodyReplaySince, NpgsqlDbType = NpgsqlDbType.TimestampTz },
        },
    };
}
