using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Notifications;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;

namespace Webhooks.Receiver.Management;

/// <summary>One Freight of a warehouse with its downstream notification: status, rounds and every recorded attempt.</summary>
internal static class FreightApi
{
    public static RouteGroupBuilder MapFreightApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}/warehouses/{name}/freight")
            .WithTags("Warehouses")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}", GetFreightAsync)
            .WithName("GetFreight")
            .WithSummary("One Freight with its notification: status (pending, delivered, failed), rounds, last error and every attempt (status code or error, duration)");

        return api;
    }

    public static async Task<Results<Ok<FreightDetail>, ProblemHttpResult>> GetFreightAsync(
        string project,
        string name,
        Guid id,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var (warehouseId, notFound) = await WarehousesApi.FindAsync(services, project, name, cancellationToken);
        if (warehouseId is null)
        {
            return notFound!;
        }

        var db = services.Db;
        var freight = await db.Freight.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.WarehouseId == warehouseId, cancellationToken);
        if (freight is null)
        {
            return ManagementProblems.FreightNotFound(project, name, id);
        }

        var outbox = await db.NotificationOutbox.AsNoTracking().FirstOrDefaultAsync(o => o.FreightId == id, cancellationToken);
        FreightNotificationView? notification = null;
        if (outbox is not null)
        {
            var attempts = await db.NotificationAttempts.AsNoTracking()
                .Where(a => a.FreightId == id)
                .OrderBy(a => a.Round).ThenBy(a => a.Attempt).ThenBy(a => a.StartedAt)
                .Select(a => new NotificationAttemptView(a.Round, a.Attempt, a.StartedAt, a.DurationMs, a.StatusCode, a.Error, a.Succeeded))
                .ToListAsync(cancellationToken);
            notification = new FreightNotificationView(
                outbox.Status.ToString().ToLowerInvariant(),
                outbox.Rounds,
                outbox.Status == NotificationStatus.Pending ? outbox.NextAttemptAt : null,
                outbox.CompletedAt,
                outbox.LastError,
                attempts);
        }

        return TypedResults.Ok(new FreightDetail(
            freight.Id,
            freight.RepositoryKey,
            freight.RepositoryUrl,
            freight.Ref,
            freight.Commit,
            freight.Message,
            freight.Author,
            freight.DiscoveredAt,
            freight.DeliveryIds,
            notification));
    }
}
