using Microsoft.AspNetCore.Http.HttpResults;
using Webhooks.Grains.Management;

namespace Webhooks.Receiver.Management;

/// <summary>The problem details the management API answers with; never echoes a secret.</summary>
internal static class ManagementProblems
{
    public static ProblemHttpResult ProjectNotFound(string project) => Problem(ManagementFailure.ProjectNotFound(project));

    public static ProblemHttpResult ReceiverNotFound(string project, string receiver) => Problem(ManagementFailure.ReceiverNotFound(project, receiver));

    public static ProblemHttpResult Conflict(string title, string detail) => Problem(ManagementFailure.Conflict(title, detail));

    public static ProblemHttpResult DeliveryNotFound(Guid id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Delivery not found",
            detail: $"There is no delivery with id '{id}'.");

    /// <summary>A failed management operation as problem details: 400 (with the errors), 404 or 409.</summary>
    public static ProblemHttpResult Problem(this ManagementFailure failure) => failure.Kind switch
    {
        ManagementFailureKind.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(failure.Errors.ToDictionary())
        {
            Status = StatusCodes.Status400BadRequest,
            Title = failure.Title,
        }),
        ManagementFailureKind.Conflict => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: failure.Title, detail: failure.Detail),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: failure.Title, detail: failure.Detail),
    };

    /// <summary>A failed operation in an endpoint that declares a validation problem: invalid input answers as one.</summary>
    public static Results<TSuccess, ValidationProblem, ProblemHttpResult> Answer<TSuccess>(this ManagementFailure failure)
        where TSuccess : IResult =>
        failure.Kind == ManagementFailureKind.Invalid
            ? TypedResults.ValidationProblem(failure.Errors, title: failure.Title)
            : failure.Problem();
}
