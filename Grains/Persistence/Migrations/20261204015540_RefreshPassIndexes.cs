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

            migrationBuilder.CreateIndex(
                name: "IX_freight_WarehouseId_RepositoryKey_Ref_DiscoveredAt_Id",
                table: "freight",
                columns: new[] { "WarehouseId", "RepositoryKey", "Ref", "DiscoveredAt", "Id" },
                descending: new[] { false, false, false, true, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_refreshes_WarehouseId_Running",
                table: "refreshes");

            migrationBuilder.DropIndex(
                name: "IX_freight_WarehouseId_RepositoryKey_Ref_DiscoveredAt_Id",
                table: "freight");
        }
    }
}
