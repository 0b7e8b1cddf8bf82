using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class StandardWebhooksNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "LegacyHubSignature",
                table: "warehouses",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Warehouses that exist before notifications speak Standard Webhooks keep sending X-Hub-Signature for one
            // release, so their receivers keep verifying while they move; new warehouses start without it.
            migrationBuilder.Sql("""UPDATE warehouses SET "LegacyHubSignature" = TRUE;""");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NotifySecretRotatedAt",
                table: "warehouses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PreviousNotifySecretValidUntil",
                table: "warehouses",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProtectedPreviousNotifySecret",
                table: "warehouses",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LegacyHubSignature",
                table: "warehouses");

            migrationBuilder.DropColumn(
                name: "NotifySecretRotatedAt",
                table: "warehouses");

            migrationBuilder.DropColumn(
                name: "PreviousNotifySecretValidUntil",
                table: "warehouses");

            migrationBuilder.DropColumn(
                name: "ProtectedPreviousNotifySecret",
                table: "warehouses");
        }
    }
}
