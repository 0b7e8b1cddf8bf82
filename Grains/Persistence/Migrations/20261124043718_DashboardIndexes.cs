using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class DashboardIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_refreshes_StartedAt",
                table: "refreshes",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_Outcome_ReceivedAt",
                table: "deliveries",
                columns: new[] { "Outcome", "ReceivedAt" },
                descending: new[] { false, true });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_refreshes_StartedAt",
                table: "refreshes");

            migrationBuilder.DropIndex(
                name: "IX_deliveries_Outcome_ReceivedAt",
                table: "deliveries");
        }
    }
}
