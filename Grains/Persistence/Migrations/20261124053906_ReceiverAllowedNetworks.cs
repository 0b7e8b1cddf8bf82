using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ReceiverAllowedNetworks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "AllowedNetworks",
                table: "receivers",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SecretRotatedAt",
                table: "receivers",
                type: "timestamp with time zone",
                nullable: true);

            // Until now only the secret could change after creation: a receiver updated since was rotated then.
            migrationBuilder.Sql("""UPDATE receivers SET "SecretRotatedAt" = "UpdatedAt" WHERE "UpdatedAt" > "CreatedAt";""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AllowedNetworks",
                table: "receivers");

            migrationBuilder.DropColumn(
                name: "SecretRotatedAt",
                table: "receivers");
        }
    }
}
