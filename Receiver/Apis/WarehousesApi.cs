using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Management;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Warehouses;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>
/// Warehouses: what a project follows in its repositories, the Freight found there and the refreshes that found it.
/// Notify secrets and git credentials go in and never come out, except a notify secret generated for the caller.
/// </summary>
internal static class WarehousesApi
{
    public static RouteGroupBuilder MapWarehousesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}/warehouses")
            .WithTags("Warehouses")
            .RejectControlCharacters()
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/", CreateWarehouseAsync)
            .WithName("CreateWarehouse")
            .WithSummary("Create a warehouse: subscriptions (repository, branch/tag globs, payload or git discovery, credentials), downstream notify target, git interval")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/", ListWarehousesAsync)
            .WithName("ListWarehouses")
            .WithSummary("A project's warehouses with state, subscriptions, latest Freight and last refresh; never secrets");

        api.MapGet("/{name}", GetWarehouseAsync)
            .WithName("GetWarehouse")
            .WithSummary("One warehouse with state (idle, refreshing, pending), subscriptions, latest Freight and last refresh");

        api.MapPut("/{name}", UpdateWarehouseAsync)
            .WithName("UpdateWarehouse")
            .WithSummary("Replace a warehouse's definition (same body as create; secrets and credentials must be given again)");

        api.MapPost("/{name}/rotate-notify-secret", RotateNotifySecretAsync)
            .WithName("RotateWarehouseNotifySecret")
            .WithSummary("Replace the notify secret (generated when not given); the old one keeps signing beside it for the grace period (default PT24H)");

        api.MapDelete("/{name}", DeleteWarehouseAsync)
            .WithName("DeleteWarehouse")
            .WithSummary("Delete a warehouse with its Freight and history");

        api.MapGet("/{name}/freight", ListFreightAsync)
            .WithName("ListFreight")
            .WithSummary("Freight newest first (limit 1 to 500, default 50), with the deliveries that announced it and its notification status");

        api.MapGet("/{name}/refreshes", ListRefreshesAsync)
            .WithName("ListRefreshes")
            .WithSummary("Refreshes newest first: start, end, status, requests taken and how many were coalesced, new Freight");

        api.MapGet("/{name}/requests", ListRequestsAsync)
            .WithName("ListRefreshRequests")
            .WithSummary("Refresh requests newest first: reason, delivery, outcome (refreshed, coalesced, deduplicated; null while pending)");

        api.MapPost("/{name}/refresh", RefreshAsync)
            .WithName("RefreshWarehouse")
            .WithSummary("Ask for a refresh now; answered once the request is durable, the refresh runs after");

        return api;
    }

    public static async Task<Results<Created<WarehouseView>, ValidationProblem, ProblemHttpResult>> CreateWarehouseAsync(
        string project,
        WarehouseRequest request,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken)
    {
        var result = await warehouses.CreateAsync(project, request, cancellationToken);
        return result.Failure is { } failure
            ? failure.Answer<Created<WarehouseView>>()
            : TypedResults.Created($"/api/projects/{project}/warehouses/{result.Value.Name}", result.Value);
    }

    public static async Task<Results<Ok<List<WarehouseView>>, ProblemHttpResult>> ListWarehousesAsync(
        string project,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken)
    {
        var result = await warehouses.ListAsync(project, cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<WarehouseView>, ProblemHttpResult>> GetWarehouseAsync(
        string project,
        string name,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken)
    {
        var result = await warehouses.GetAsync(project, name, cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<WarehouseView>, ValidationProblem, ProblemHttpResult>> UpdateWarehouseAsync(
        string project,
        string name,
        WarehouseRequest request,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken)
    {
        var result = await warehouses.UpdateAsync(project, name, request, cancellationToken);
        return result.Failure is { } failure ? failure.Answer<Ok<WarehouseView>>() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<RotatedSecret>, ValidationProblem, ProblemHttpResult>> RotateNotifySecretAsync(
        string project,
        string name,
        RotateSecretRequest? request,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken)
    {
        var result = await warehouses.RotateNotifySecretAsync(project, name, request, cancellationToken);
        return result.Failure is { } failure ? failure.Answer<Ok<RotatedSecret>>() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWarehouseAsync(
        string project,
        string name,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken) =>
        await warehouses.DeleteAsync(project, name, cancellationToken) is { } failure ? failure.Problem() : TypedResults.NoContent();

    public static async Task<Results<Ok<List<FreightView>>, ValidationProblem, ProblemHttpResult>> ListFreightAsync(
        string project,
        string name,
        int? limit,
        [FromServices] WarehouseHistory history,
        CancellationToken cancellationToken) =>
        Answer(await history.ListFreightAsync(project, name, limit, cancellationToken));

    public static async Task<Results<Ok<List<RefreshView>>, ValidationProblem, ProblemHttpResult>> ListRefreshesAsync(
        string project,
        string name,
        int? limit,
        [FromServices] WarehouseHistory history,
        CancellationToken cancellationToken) =>
        Answer(await history.ListRefreshesAsync(project, name, limit, cancellationToken));

    public static async Task<Results<Ok<List<RefreshRequestView>>, ValidationProblem, ProblemHttpResult>> ListRequestsAsync(
        string project,
        string name,
        int? limit,
        [FromServices] WarehouseHistory history,
        CancellationToken cancellationToken) =>
        Answer(await history.ListRequestsAsync(project, name, limit, cancellationToken));

    public static async Task<Results<Accepted<RefreshRequested>, ProblemHttpResult>> RefreshAsync(
        string project,
        string name,
        [FromServices] WarehouseCatalog warehouses,
        CancellationToken cancellationToken)
    {
        var result = await warehouses.RefreshAsync(project, name, cancellationToken);
        return result.Failure is { } failure
            ? failure.Problem()
            : TypedResults.Accepted($"/api/projects/{project}/warehouses/{name}/requests", result.Value);
    }

    private static Results<Ok<List<TView>>, ValidationProblem, ProblemHttpResult> Answer<TView>(ManagementResult<List<TView>> result) =>
        result.Failure is { } failure ? failure.Answer<Ok<List<TView>>>() : TypedResults.Ok(result.Value);
}
