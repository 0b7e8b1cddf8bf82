using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Redelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "RedeliveredBy",
                table: "deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "RedeliveryOf",
                table: "deliveries",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_deliveries_RedeliveryOf",
                table: "deliveries",
                column: "RedeliveryOf",
                filter: "\"RedeliveryOf\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_deliveries_RedeliveryOf",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "RedeliveredBy",
                table: "deliveries");

            migrationBuilder.DropColumn(
                name: "RedeliveryOf",
                table: "deliveries");
        }
    }
}
