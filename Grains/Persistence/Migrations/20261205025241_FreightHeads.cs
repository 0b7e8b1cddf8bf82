using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FreightHeads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "freight_heads",
                columns: table => new
                {
                    WarehouseId = table.Column<Guid>(type: "uuid", nullable: false),
                    RepositoryKey = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Ref = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    FreightId = table.Column<Guid>(type: "uuid", nullable: false),
                    Commit = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DiscoveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AnnouncedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_freight_heads", x => new { x.WarehouseId, x.RepositoryKey, x.Ref });
                })
                .Annotation("Npgsql:StorageParameter:fillfactor", 50);

            // Each ref's newest Freight, as the pass's heads query found it through the index dropped here (it grew at a
            // random point with every Freight and outgrew the buffer pool under load, docs/benchmarks.md step 10); and a
            // warehouse's heads go with it, as its Freight does (the trigger of HotTablesWithoutForeignKeys).
            migrationBuilder.Sql("""
                INSERT INTO freight_heads ("WarehouseId", "RepositoryKey", "Ref", "FreightId", "Commit", "DiscoveredAt", "AnnouncedAt")
                SELECT DISTINCT ON ("WarehouseId", "RepositoryKey", "Ref")
                    "WarehouseId", "RepositoryKey", "Ref", "Id", "Commit", "DiscoveredAt", "AnnouncedAt"
                FROM freight
                ORDER BY "WarehouseId", "RepositoryKey", "Ref", "DiscoveredAt" DESC, "Id" DESC;
                DROP INDEX "IX_freight_newest_of_ref";
                CREATE OR REPLACE FUNCTION warehouses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
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
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION warehouses_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM refresh_requests WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM refreshes WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    DELETE FROM freight WHERE "WarehouseId" IN (SELECT "Id" FROM gone);
                    RETURN NULL;
                END $$;
                CREATE INDEX "IX_freight_newest_of_ref" ON freight ("WarehouseId", ("RepositoryKey" || E'\n' || "Ref"), "DiscoveredAt" DESC, "Id" DESC);
                """);

            migrationBuilder.DropTable(
                name: "freight_heads");
        }
    }
}
