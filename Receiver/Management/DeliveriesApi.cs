using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Warehouses;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;

namespace Webhooks.Receiver.Management;

/// <summary>The delivery history: every request ingress answered, newest first.</summary>
internal static class DeliveriesApi
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliveries")
            .WithTags("Deliveries")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapGet("/", ListDeliveriesAsync)
            .WithName("ListDeliveries")
            .WithSummary("Deliveries newest first, filtered by project, receiver, event and outcome; for the next page pass the answer's 'next' as 'before' (an opaque cursor)")
            .WithDescription(
                "limit: 1 to 500, default 50. outcome: accepted, duplicate, ignored, pong or rejected. " +
                "'next' is present only when more rows follow; paging is by (receivedAt, id), so rows arriving meanwhile never shift a page.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/{id:guid}", GetDeliveryAsync)
            .WithName("GetDelivery")
            .WithSummary("One delivery with headers, body (JSON when it is JSON, else text), answer, timings, the refreshes it caused and its redeliveries")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/{id:guid}/redeliver", Redelivery.RedeliverAsync)
            .WithName("RedeliverDelivery")
            .WithSummary("Replay an accepted push through routing (not dedupe) as a new delivery pointing at this one; its refresh requests are its own")
            .WithDescription(
                "202 with the new delivery's id and how many warehouses were asked (null when routing is still under way). " +
                "Warehouses that already have a head answer the request deduplicated. 409 for rejected, duplicate, ignored and ping deliveries, " +
                "events that are not routed (pull requests, ALM-only pushes) and deliveries without a stored body.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }

    public static async Task<Results<Ok<DeliveryPage>, ValidationProblem, ProblemHttpResult>> ListDeliveriesAsync(
        [AsParameters] DeliveryQuery query,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var limit = query.Limit ?? DefaultLimit;
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Use 1 to {MaxLimit}."];
        }

        DeliveryOutcome? outcome = null;
        if (query.Outcome is not null)
        {
            outcome = ParseOutcome(query.Outcome);
            if (outcome is null)
            {
                errors["outcome"] = [$"Use one of: {string.Join(", ", Enum.GetNames<DeliveryOutcome>().Select(ToWireName))}."];
            }
        }

        DeliveryCursor? before = null;
        if (query.Before is not null)
        {
            if (DeliveryCursor.TryParse(query.Before, out var cursor))
            {
                before = cursor;
            }
            else
            {
                errors["before"] = ["Pass the 'next' value of the previous page unchanged."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The query is not valid.");
        }

        var db = services.Db;
        var deliveries = db.Deliveries.AsNoTracking();

        Guid? projectId = null;
        if (query.Project is not null)
        {
            projectId = await db.Projects.Where(p => p.Name == query.Project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
            if (projectId is null)
            {
                return ManagementProblems.ProjectNotFound(query.Project);
            }

            deliveries = deliveries.Where(d => d.ProjectId == projectId);
        }

        if (query.Receiver is not null)
        {
            // Receiver names are unique within a project; without one, the name matches in every project.
            var receiverIds = await db.Receivers
                .Where(r => r.Name == query.Receiver && (projectId == null || r.ProjectId == projectId))
                .Select(r => (Guid?)r.Id)
                .ToListAsync(cancellationToken);
            if (receiverIds.Count == 0)
            {
                return query.Project is null
                    ? TypedResults.Problem(
                        statusCode: StatusCodes.Status404NotFound,
                        title: "Receiver not found",
                        detail: $"No project has a receiver named '{query.Receiver}'.")
                    : ManagementProblems.ReceiverNotFound(query.Project, query.Receiver);
            }

            deliveries = deliveries.Where(d => receiverIds.Contains(d.ReceiverId));
        }

        if (query.Event is not null)
        {
            deliveries = deliveries.Where(d => d.Event == query.Event);
        }

        if (outcome is not null)
        {
            deliveries = deliveries.Where(d => d.Outcome == outcome);
        }

        if (before is { } after)
        {
            // A row-value comparison: PostgreSQL walks the receivedAt index from the cursor on.
            deliveries = deliveries.Where(d =>
                EF.Functions.LessThan(ValueTuple.Create(d.ReceivedAt, d.Id), ValueTuple.Create(after.ReceivedAt, after.Id)));
        }

        var projects = db.Projects;
        var receivers = db.Receivers;
        var rows = await deliveries
            .OrderByDescending(d => d.ReceivedAt)
            .ThenByDescending(d => d.Id)
            .Take(limit + 1)
            .Select(d => new
            {
                d.Id,
                d.ReceivedAt,
                Project = projects.Where(p => p.Id == d.ProjectId).Select(p => p.Name).FirstOrDefault(),
                Receiver = receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.Name).FirstOrDefault(),
                d.Source,
                d.Event,
                d.RequestId,
                d.Outcome,
                d.StatusCode,
                d.Reason,
                d.RepositoryKey,
                d.State,
                d.DurationMs,
                d.RedeliveryOf,
            })
            .ToListAsync(cancellationToken);

        var page = rows.Take(limit)
            .Select(d => new DeliverySummary(
                d.Id,
                d.ReceivedAt,
                d.Project,
                d.Receiver,
                d.Source,
                d.Event,
                d.RequestId,
                ToWireName(d.Outcome),
                d.StatusCode,
                d.Reason,
                d.RepositoryKey,
                d.State is { } state ? ToWireName(state) : null,
                d.DurationMs,
                d.RedeliveryOf))
            .ToList();
        var next = rows.Count > limit ? new DeliveryCursor(page[^1].ReceivedAt, page[^1].Id).ToString() : null;
        return TypedResults.Ok(new DeliveryPage(page, next));
    }

    public static async Task<Results<Ok<DeliveryDetail>, ProblemHttpResult>> GetDeliveryAsync(
        Guid id,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var projects = db.Projects;
        var receivers = db.Receivers;
        var row = await db.Deliveries.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new
            {
                Delivery = d,
                Project = projects.Where(p => p.Id == d.ProjectId).Select(p => p.Name).FirstOrDefault(),
                Receiver = receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.Name).FirstOrDefault(),
                RedeliveredByName = db.ApiTokens.Where(t => t.Id == d.RedeliveredBy).Select(t => t.Name).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return ManagementProblems.DeliveryNotFound(id);
        }

        var d = row.Delivery;
        return TypedResults.Ok(new DeliveryDetail(
            d.Id,
            d.ReceivedAt,
            row.Project,
            row.Receiver,
            d.Source,
            d.Event,
            d.RequestId,
            d.AttemptNumber,
            ToWireName(d.Outcome),
            d.StatusCode,
            d.Reason,
            d.RepositoryKey,
            d.State is { } state ? ToWireName(state) : null,
            d.DurationMs,
            d.RemoteAddress,
            DeliveryContent.Headers(d.Headers),
            d.BodySize,
            d.BodySha256 is null ? null : Convert.ToHexStringLower(d.BodySha256),
            await DeliveryContent.BodyAsync(d.CompressedBody, cancellationToken),
            DeliveryContent.Answer(d.Answer),
            new DeliveryTimings(d.ReceivedAt, d.DurationMs, d.DispatchedAt, d.ProcessedAt),
            await RefreshesAsync(services, id, cancellationToken),
            d.RedeliveryOf,
            d.RedeliveredBy is { } tokenId ? new RedeliveredBy(tokenId, row.RedeliveredByName) : null,
            await db.Deliveries.Where(r => r.RedeliveryOf == id).OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).Select(r => r.Id).ToListAsync(cancellationToken)));
    }

    /// <summary>The refresh requests a delivery made, with their warehouses and the refreshes that handled them.</summary>
    private static async Task<List<DeliveryRefresh>> RefreshesAsync(ManagementServices services, Guid deliveryId, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var rows = await db.RefreshRequests.AsNoTracking()
            .Where(r => r.DeliveryId == deliveryId)
            .OrderBy(r => r.RequestedAt)
            .Select(r => new
            {
                Request = r,
                Warehouse = db.Warehouses.Where(w => w.Id == r.WarehouseId).Select(w => new { w.Name, Project = w.Project!.Name }).First(),
                Run = db.Refreshes.FirstOrDefault(run => run.Id == r.RefreshId),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(row => new DeliveryRefresh(
            row.Warehouse.Project,
            row.Warehouse.Name,
            row.Request.Id,
            ToWireName(row.Request.Reason),
            row.Request.RequestedAt,
            row.Request.Outcome is { } outcome ? ToWireName(outcome) : null,
            row.Request.CompletedAt,
            row.Run is null ? null : new RefreshView(
                row.Run.Id, row.Run.StartedAt, row.Run.FinishedAt, ToWireName(row.Run.Status), row.Run.Requests,
                row.Run.Coalesced, row.Run.NewFreight, row.Run.Error))).ToList();
    }

    private static DeliveryOutcome? ParseOutcome(string text) =>
        Enum.GetValues<DeliveryOutcome>().Cast<DeliveryOutcome?>()
            .FirstOrDefault(o => string.Equals(o.ToString(), text, StringComparison.OrdinalIgnoreCase));

    /// <summary>Outcomes and states as ingress answers them: <c>accepted</c>, <c>duplicate</c>, …</summary>
    private static string ToWireName<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static string ToWireName(string name) => name.ToLowerInvariant();
}
