using Microsoft.AspNetCore.Http.HttpResults;

namespace Webhooks.Receiver.Management;

/// <summary>The problem details the management API answers with; never echoes a secret.</summary>
internal static class ManagementProblems
{
    public static ProblemHttpResult ProjectNotFound(string project) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Project not found",
            detail: $"There is no project named '{project}'.");

    public static ProblemHttpResult ReceiverNotFound(string project, string receiver) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Receiver not found",
            detail: $"Project '{project}' has no receiver named '{receiver}'.");

    public static ProblemHttpResult WarehouseNotFound(string project, string warehouse) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Warehouse not found",
            detail: $"Project '{project}' has no warehouse named '{warehouse}'.");

    public static ProblemHttpResult FreightNotFound(string project, string warehouse, Guid id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Freight not found",
            detail: $"Warehouse '{project}/{warehouse}' has no Freight with id '{id}'.");

    public static ProblemHttpResult DeliveryNotFound(Guid id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Delivery not found",
            detail: $"There is no delivery with id '{id}'.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);
}
