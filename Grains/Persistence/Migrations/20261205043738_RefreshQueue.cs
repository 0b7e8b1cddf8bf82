using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RefreshQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_refresh_requests_DeliveryId_CompletedAt",
                table: "refresh_requests");

            migrationBuilder.DropIndex(
                name: "IX_refresh_requests_WarehouseId_RequestedAt",
                table: "refresh_requests");

            migrationBuilder.AlterTable(
                name: "refresh_requests")
                .Annotation("Npgsql:StorageParameter:fillfactor", 90);

            migrationBuilder.CreateTable(
                name: "refresh_queue",
                columns: table => new
                {
                    WarehouseId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refresh_queue", x => new { x.WarehouseId, x.RequestedAt, x.RequestId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_refresh_requests_DeliveryId",
                table: "refresh_requests",
                column: "DeliveryId");

            // The requests still pending are the queue (their index on the request, dropped above, made every completion
            // a new row version in each of the table's indexes: docs/benchmarks.md step 11); a warehouse's queue goes with
            // it, as its requests do (the trigger of HotTablesWithoutForeignKeys, as FreightHeads left it).
            migrationBuilder.Sql("""
                INSERT INTO refresh_queue ("WarehouseId", "RequestedAt", "RequestId")
                SELECT "WarehouseId", "RequestedAt", "Id" FROM refresh_requests WHERE "CompletedAt" IS NULL;
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Pending requests are those not completed, as before: the queue holds nothing else.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION warehouses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM refresh_requests WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refreshes WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight_heads WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    RETURN NULL;
                END $$;
                """);

            migrationBuilder.DropTable(
                name: "refresh_queue");

            migrationBuilder.DropIndex(
                name: "IX_refresh_requests_DeliveryId",
                table: "refresh_requests");

            migrationBuilder.AlterTable(
                name: "refresh_requests")
                .OldAnnotation("Npgsql:StorageParameter:fillfactor", 90);

            migrationBuilder.CreateIndex(
                name: "IX_refresh_requests_DeliveryId_CompletedAt",
                table: "refresh_requests",
                columns: new[] { "DeliveryId", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_refresh_requests_WarehouseId_RequestedAt",
                table: "refresh_requests",
                columns: new[] { "WarehouseId", "RequestedAt" },
                filter: "\"CompletedAt\" IS NULL");
        }
    }
}
