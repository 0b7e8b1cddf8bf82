using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class HotTablesWithoutForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_delivery_progress_deliveries_DeliveryId",
                table: "delivery_progress");

            migrationBuilder.DropForeignKey(
                name: "FK_freight_warehouses_WarehouseId",
                table: "freight");

            migrationBuilder.DropForeignKey(
                name: "FK_refresh_requests_warehouses_WarehouseId",
                table: "refresh_requests");

            migrationBuilder.DropForeignKey(
                name: "FK_refreshes_warehouses_WarehouseId",
                table: "refreshes");

            // What the foreign keys' ON DELETE CASCADE did, without their check on every insert: one statement per
            // child table for all the rows a DELETE removed, whichever statement deleted them (a warehouse's delete, a
            // project's, whose warehouses go by their own foreign key, or retention's). Freight's notification outbox
            // keeps its foreign key and goes with the Freight.
            migrationBuilder.Sql("""
                CREATE FUNCTION warehouses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM refresh_requests WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refreshes WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER warehouses_cascade AFTER DELETE ON warehouses
                    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION warehouses_deleted();
                CREATE FUNCTION deliveries_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM delivery_progress WHERE "DeliveryId" IN (SELECT "Id" FROM gone);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER deliveries_cascade AFTER DELETE ON deliveries
                    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION deliveries_deleted();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER deliveries_cascade ON deliveries;
                DROP FUNCTION deliveries_deleted();
                DROP TRIGGER warehouses_cascade ON warehouses;
                DROP FUNCTION warehouses_deleted();
                DELETE FROM delivery_progress p WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d."Id" = p."DeliveryId");
                DELETE FROM refresh_requests r WHERE NOT EXISTS (SELECT 1 FROM warehouses w WHERE w."Id" = r."WarehouseId");
                DELETE FROM refreshes r WHERE NOT EXISTS (SELECT 1 FROM warehouses w WHERE w."Id" = r."WarehouseId");
                DELETE FROM freight f WHERE NOT EXISTS (SELECT 1 FROM warehouses w WHERE w."Id" = f."WarehouseId");
                """);

            migrationBuilder.AddForeignKey(
                name: "FK_delivery_progress_deliveries_DeliveryId",
                table: "delivery_progress",
                column: "DeliveryId",
                principalTable: "deliveries",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_freight_warehouses_WarehouseId",
                table: "freight",
                column: "WarehouseId",
                principalTable: "warehouses",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_refresh_requests_warehouses_WarehouseId",
                table: "refresh_requests",
                column: "WarehouseId",
                principalTable: "warehouses",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "FK_refreshes_warehouses_WarehouseId",
                table: "refreshes",
                column: "WarehouseId",
                principalTable: "warehouses",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
