using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Webhooks.Grains.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class FreightAnnouncedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AnnouncedAt",
                table: "freight",
                type: "timestamp with time zone",
                nullable: true);

            // The newest Freight of each ref (the only one a refresh pass reads it of): when its newest announcing
            // delivery, if still kept, was received, as the pass read it from the deliveries until now.
            migrationBuilder.Sql("""
                UPDATE freight f SET "AnnouncedAt" = (
                    SELECT max(d."ReceivedAt") FROM unnest(f."DeliveryIds") AS i(id) JOIN deliveries d ON d."Id" = i.id)
                FROM (SELECT DISTINCT ON ("WarehouseId", "RepositoryKey", "Ref") "Id" FROM freight
                      ORDER BY "WarehouseId", "RepositoryKey", "Ref", "DiscoveredAt" DESC, "Id" DESC) newest
                WHERE f."Id" = newest."Id" AND cardinality(f."DeliveryIds") > 0
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AnnouncedAt",
                table: "freight");
        }
    }
}
