using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RefreshRequestReceivedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ReceivedAt",
                table: "refresh_requests",
                type: "timestamp with time zone",
                nullable: true);

            // Only pending requests are read for it (a pass's superseded check); completed ones keep null rather than
            // rewriting every row of the table.
            migrationBuilder.Sql("""
                UPDATE refresh_requests r SET "ReceivedAt" = d."ReceivedAt"
                FROM refresh_queue q, deliveries d
                WHERE q."RequestId" = r."Id" AND d."Id" = r."DeliveryId"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReceivedAt",
                table: "refresh_requests");
        }
    }
}
