using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Warehouses;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>One Freight of a warehouse with its downstream notification: status, rounds and every recorded attempt.</summary>
internal static class FreightApi
{
    public static RouteGroupBuilder MapFreightApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}/warehouses/{name}/freight")
            .WithTags("Warehouses")
            .RejectControlCharacters()
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
        [FromServices] WarehouseHistory history,
        CancellationToken cancellationToken)
    {
        var result = await history.GetFreightAsync(project, name, id, cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }
}
