using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Warehouses;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>The delivery history: every request ingress answered, newest first.</summary>
internal static class DeliveriesApi
{
    public static RouteGroupBuilder MapDeliveriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/deliveries")
            .WithTags("Deliveries")
            .RejectControlCharacters()
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

        api.MapPost("/{id:guid}/redeliver", RedeliveryApi.RedeliverAsync)
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
        [FromServices] DeliveryCatalog deliveries,
        CancellationToken cancellationToken)
    {
        var result = await deliveries.ListAsync(query, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.Answer<Ok<DeliveryPage>>();
        }

        var listing = result.Value;
        var page = listing.Items
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
        return TypedResults.Ok(new DeliveryPage(page, listing.Next?.ToString()));
    }

    public static async Task<Results<Ok<DeliveryDetail>, ProblemHttpResult>> GetDeliveryAsync(
        Guid id,
        [FromServices] DeliveryCatalog deliveries,
        CancellationToken cancellationToken)
    {
        var result = await deliveries.GetAsync(id, cancellationToken);
        if (result.Failure is { } failure)
        {
            return failure.Problem();
        }

        var d = result.Value;

        return TypedResults.Ok(new DeliveryDetail(
            d.Id,
            d.ReceivedAt,
            d.Project,
            d.Receiver,
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
            d.Headers,
            d.BodySize,
            d.BodySha256,
            d.Body,
            d.Answer,
            new DeliveryTimings(d.ReceivedAt, d.DurationMs, d.DispatchedAt, d.ProcessedAt),
            [.. d.Refreshes.Select(ToView)],
            d.RedeliveryOf,
            d.RedeliveredBy is { } tokenId ? new RedeliveredBy(tokenId, d.RedeliveredByName) : null,
            d.Redeliveries));
    }

    private static DeliveryRefresh ToView(DeliveryRefreshRecord refresh) => new(
        refresh.Project,
        refresh.Warehouse,
        refresh.RequestId,
        ToWireName(refresh.Reason),
        refresh.RequestedAt,
        refresh.Outcome is { } outcome ? ToWireName(outcome) : null,
        refresh.CompletedAt,
        refresh.Refresh is not { } run ? null : new RefreshView(
            run.Id, run.StartedAt, run.FinishedAt, ToWireName(run.Status), run.Requests, run.Coalesced, run.NewFreight, run.Error));

    /// <summary>Outcomes and states as ingress answers them: <c>accepted</c>, <c>duplicate</c>, …</summary>
    private static string ToWireName<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
