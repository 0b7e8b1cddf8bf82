using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryWrittenOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "delivery_progress",
                columns: table => new
                {
                    DeliveryId = table.Column<Guid>(type: "uuid", nullable: false),
                    AcceptedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DispatchedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Warehouses = table.Column<int>(type: "integer", nullable: true),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_delivery_progress", x => x.DeliveryId);
                    table.ForeignKey(
                        name: "FK_delivery_progress_deliveries_DeliveryId",
                        column: x => x.DeliveryId,
                        principalTable: "deliveries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Every delivery that had a state gets its lifecycle row; a dispatched one is processed from its requests.
            migrationBuilder.Sql("""
                INSERT INTO delivery_progress ("DeliveryId", "AcceptedAt", "DispatchedAt", "Warehouses", "ProcessedAt")
                SELECT "Id", "ReceivedAt", "DispatchedAt",
                    CASE WHEN jsonb_typeof("Answer" -> 'warehouses') = 'number' THEN ("Answer" ->> 'warehouses')::integer END,
                    CASE WHEN "DispatchedAt" IS NULL AND "State" = 'Processed' THEN COALESCE("ProcessedAt", "ReceivedAt") END
                FROM deliveries WHERE "State" IS NOT NULL
                """);

            migrationBuilder.DropIndex(
                name: "IX_deliveries_ReceiverId_BodySha256",
                table: "deliveries");

            migrationBuilder.DropIndex(
                name: "IX_deliveries_State",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "DispatchedAt",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "ProcessedAt",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "State",
                table: "deliveries");

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_BodySha256",
                table: "deliveries",
                column: "BodySha256",
                filter: "\"DedupeKey\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_delivery_progress_AcceptedAt",
                table: "delivery_progress",
                column: "AcceptedAt",
                filter: "\"DispatchedAt\" IS NULL AND \"ProcessedAt\" IS NULL");

            // The state readers see (DeliveryStatus): derived from the lifecycle row and the refresh requests.
            migrationBuilder.Sql("""
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
                    SELECT COALESCE(bool_or(q."CompletedAt" IS NULL), false) AS open, max(q."CompletedAt") AS last
                    FROM refresh_requests q WHERE q."DeliveryId" = p."DeliveryId") r
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW delivery_status");

            migrationBuilder.DropTable(
                name: "delivery_progress");

            migrationBuilder.DropIndex(
                name: "IX_deliveries_BodySha256",
                table: "deliveries");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DispatchedAt",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ProcessedAt",
                table: "deliveries",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "State",
                table: "deliveries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_ReceiverId_BodySha256",
                table: "deliveries",
                columns: new[] { "ReceiverId", "BodySha256" });

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_State",
                table: "deliveries",
                column: "State",
                filter: "\"State\" = 'Accepted'");
        }
    }
}
