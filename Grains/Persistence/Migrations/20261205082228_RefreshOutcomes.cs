using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RefreshOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "refresh_outcomes",
                columns: table => new
                {
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    RefreshId = table.Column<Guid>(type: "uuid", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refresh_outcomes", x => x.RequestId);
                });

            // Every completed request's outcome moves to its own row; the delivery status reads it there; a warehouse's
            // delete takes its requests' outcomes (before the requests, through which they are found).
            migrationBuilder.Sql("""
                INSERT INTO refresh_outcomes ("RequestId", "RefreshId", "Outcome", "CompletedAt")
                SELECT "Id", "RefreshId", COALESCE("Outcome", 'Abandoned'), "CompletedAt" FROM refresh_requests
                WHERE "CompletedAt" IS NOT NULL;
                DROP VIEW delivery_status;
                """);

            migrationBuilder.DropColumn(
                name: "CompletedAt",
                table: "refresh_requests");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "refresh_requests");

            migrationBuilder.DropColumn(
                name: "RefreshId",
                table: "refresh_requests");

            migrationBuilder.AlterTable(
                name: "refresh_requests")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 90);

            migrationBuilder.Sql($"""
                {DeliveryStatusView("""
                    SELECT COALESCE(bool_or(o."RequestId" IS NULL), false) AS open, max(o."CompletedAt") AS last
                    FROM refresh_requests q LEFT JOIN refresh_outcomes o ON o."RequestId" = q."Id"
                    WHERE q."DeliveryId" = p."DeliveryId"
                    """)}
                CREATE OR REPLACE FUNCTION warehouses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM refresh_queue WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refresh_outcomes o USING refresh_requests r
                        WHERE o."RequestId" = r."Id" AND r."WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refresh_requests WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refreshes WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight_heads WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "refresh_requests")
                .Annotation("Npgsql:StorageParameter:fillfactor", 90);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CompletedAt",
                table: "refresh_requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "refresh_requests",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RefreshId",
                table: "refresh_requests",
                type: "uuid",
                nullable: true);

            migrationBuilder.Sql($"""
                UPDATE refresh_requests r SET "RefreshId" = o."RefreshId", "Outcome" = o."Outcome", "CompletedAt" = o."CompletedAt"
                FROM refresh_outcomes o WHERE o."RequestId" = r."Id";
                DROP VIEW delivery_status;
                {DeliveryStatusView("""
                    SELECT COALESCE(bool_or(q."CompletedAt" IS NULL), false) AS open, max(q."CompletedAt") AS last
                    FROM refresh_requests q WHERE q."DeliveryId" = p."DeliveryId"
                    """)}
                CREATE OR REPLACE FUNCTION warehouses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM refresh_queue WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refresh_requests WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refreshes WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight_heads WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    RETURN NULL;
                END $$;
                """);

            migrationBuilder.DropTable(
                name: "refresh_outcomes");
        }

        /// <summary>
        /// The delivery status view (migration DeliveryWrittenOnce), with <paramref name="requests"/> the lateral query
        /// saying whether any of the delivery's requests is open and when the last one completed.
        /// </summary>
        private static string DeliveryStatusView(string requests) => $"""
            CREATE VIEW delivery_status AS
            SELECT p."DeliveryId",
                CASE WHEN p."ProcessedAt" IS NOT NULL THEN 'Processed'
                     WHEN p."DispatchedAt" IS NULL THEN 'Accepted'
                     WHEN r.open THEN 'Dispatched'
                     ELSE 'Processed' END AS "State",
                p."DispatchedAt",
                CASE WHEN p."ProcessedAt" IS NOT NULL THEN p."ProcessedAt"
                     WHEN p."DispatchedAt" IS NOT NULL AND NOT r.open THEN GREATEST(p."DispatchedAt", r.last) END AS "ProcessedAt",
                p."Warehouses"
            FROM delivery_progress p
            CROSS JOIN LATERAL (
            {requests}) r;
            """;
    }
}
