using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RefreshPassIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_refreshes_WarehouseId_Running",
                table: "refreshes",
                column: "WarehouseId",
                filter: "\"Status\" = 'Running'");

            // The refresh pass's newest Freight of a ref (FreightConfiguration says why on an expression; EF Core does not
            // model expression indexes, so it is made here).
            migrationBuilder.Sql(
                "CREATE INDEX \"IX_freight_newest_of_ref\" ON freight " +
                "(\"WarehouseId\", (\"RepositoryKey\" || E'\\n' || \"Ref\"), \"DiscoveredAt\" DESC, \"Id\" DESC);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_refreshes_WarehouseId_Running",
                table: "refreshes");

            migrationBuilder.Sql("DROP INDEX \"IX_freight_newest_of_ref\";");
        }
    }
}
