using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RefreshRequestsOpenByDelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_refresh_requests_DeliveryId",
                table: "refresh_requests");

            migrationBuilder.CreateIndex(
                name: "IX_refresh_requests_DeliveryId_CompletedAt",
                table: "refresh_requests",
                columns: new[] { "DeliveryId", "CompletedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_refresh_requests_DeliveryId_CompletedAt",
                table: "refresh_requests");

            migrationBuilder.CreateIndex(
                name: "IX_refresh_requests_DeliveryId",
                table: "refresh_requests",
                column: "DeliveryId");
        }
    }
}
