using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Receivers;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>
/// Receivers: a project's Bitbucket webhook endpoints. A secret leaves the service only in the answer to a create or
/// rotate and in webhook-data; everything else shows whether there is one.
/// </summary>
internal static class ReceiversApi
{
    public static RouteGroupBuilder MapReceiversApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}/receivers")
            .WithTags("Receivers")
            .RejectControlCharacters()
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/", CreateReceiverAsync)
            .WithName("CreateReceiver")
            .WithSummary("Create a receiver; the answer holds its URL and its secret (generated when not given), shown here only")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/", ListReceiversAsync)
            .WithName("ListReceivers")
            .WithSummary("A project's receivers with their URLs and last delivery, never their secrets");

        api.MapGet("/{name}", GetReceiverAsync)
            .WithName("GetReceiver")
            .WithSummary("One receiver with its URL and last delivery, never its secret");

        api.MapGet("/{name}/webhook-data", GetWebhookDataAsync)
            .WithName("GetReceiverWebhookData")
            .WithSummary("What to paste into Bitbucket Cloud or Data Center: URL, secret, content type, events, steps");

        api.MapPatch("/{name}", UpdateReceiverAsync)
            .WithName("UpdateReceiver")
            .WithSummary("Edit serverUrl, allowedNetworks and description; the URL and secret stay, so Bitbucket keeps delivering. A field left out stays as it is, \"\" clears it, [] allows any address");

        api.MapPost("/{name}/rotate-secret", RotateSecretAsync)
            .WithName("RotateReceiverSecret")
            .WithSummary("Replace the secret; the old one keeps verifying for gracePeriod (ISO 8601 or hh:mm:ss, default 24 h, 0 = not at all, max 30 days)");

        api.MapPut("/{name}/allowed-networks", SetAllowedNetworksAsync)
            .WithName("SetReceiverAllowedNetworks")
            .WithSummary("Replace the networks (CIDR blocks or addresses) deliveries may come from; an empty list allows any address. Deliveries from elsewhere get 403, before their signature is checked");

        api.MapDelete("/{name}", DeleteReceiverAsync)
            .WithName("DeleteReceiver")
            .WithSummary("Delete a receiver; its URL stops working at once");

        return api;
    }

    public static async Task<Results<Created<CreatedReceiver>, ValidationProblem, ProblemHttpResult>> CreateReceiverAsync(
        string project,
        CreateReceiverRequest request,
        HttpRequest httpRequest,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.CreateAsync(project, request, BaseUrl(httpRequest), cancellationToken);
        return result.Failure is { } failure
            ? failure.Answer<Created<CreatedReceiver>>()
            : TypedResults.Created($"/api/projects/{project}/receivers/{result.Value.Name}", result.Value);
    }

    public static async Task<Results<Ok<List<ReceiverView>>, ProblemHttpResult>> ListReceiversAsync(
        string project,
        HttpRequest httpRequest,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.ListAsync(project, BaseUrl(httpRequest), cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<ReceiverView>, ProblemHttpResult>> GetReceiverAsync(
        string project,
        string name,
        HttpRequest httpRequest,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.GetAsync(project, name, BaseUrl(httpRequest), cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<WebhookData>, ProblemHttpResult>> GetWebhookDataAsync(
        string project,
        string name,
        HttpRequest httpRequest,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.GetWebhookDataAsync(project, name, BaseUrl(httpRequest), cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<ReceiverView>, ValidationProblem, ProblemHttpResult>> UpdateReceiverAsync(
        string project,
        string name,
        UpdateReceiverRequest request,
        HttpRequest httpRequest,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.UpdateAsync(project, name, request, BaseUrl(httpRequest), cancellationToken);
        return result.Failure is { } failure ? failure.Answer<Ok<ReceiverView>>() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<RotatedSecret>, ValidationProblem, ProblemHttpResult>> RotateSecretAsync(
        string project,
        string name,
        RotateSecretRequest? request,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.RotateSecretAsync(project, name, request, cancellationToken);
        return result.Failure is { } failure ? failure.Answer<Ok<RotatedSecret>>() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<ReceiverView>, ValidationProblem, ProblemHttpResult>> SetAllowedNetworksAsync(
        string project,
        string name,
        AllowedNetworksRequest request,
        HttpRequest httpRequest,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken)
    {
        var result = await receivers.SetAllowedNetworksAsync(project, name, request, BaseUrl(httpRequest), cancellationToken);
        return result.Failure is { } failure ? failure.Answer<Ok<ReceiverView>>() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteReceiverAsync(
        string project,
        string name,
        [FromServices] ReceiverCatalog receivers,
        CancellationToken cancellationToken) =>
        await receivers.DeleteAsync(project, name, cancellationToken) is { } failure ? failure.Problem() : TypedResults.NoContent();

    /// <summary>Where the caller reached us: receiver URLs are built under it when no public base URL is configured.</summary>
    private static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
