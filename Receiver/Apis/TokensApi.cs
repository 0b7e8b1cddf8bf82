using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>
/// API tokens. A token leaves the service once, in the answer to its create; only its SHA-256 hash and a visible
/// prefix are stored. Revoking takes effect on every replica at once (cache invalidation broadcast).
/// </summary>
internal static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/tokens")
            .WithTags("Tokens")
            .RejectControlCharacters()
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/", CreateTokenAsync)
            .WithName("CreateToken")
            .WithSummary("Create an API token (type webhook with a project, or admin); the answer shows the token, here only")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/", ListTokensAsync)
            .WithName("ListTokens")
            .WithSummary("Every token: name, type, prefix, project, created, last used (written every 30 s), expiry, revocation");

        api.MapDelete("/{id:guid}", RevokeTokenAsync)
            .WithName("RevokeToken")
            .WithSummary("Revoke a token; every replica refuses it at once")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<CreatedToken>, ValidationProblem, ProblemHttpResult>> CreateTokenAsync(
        CreateTokenRequest request,
        [FromServices] TokenCatalog tokens,
        CancellationToken cancellationToken)
    {
        var result = await tokens.CreateAsync(request, cancellationToken);
        return result.Failure is { } failure
            ? failure.Answer<Created<CreatedToken>>()
            : TypedResults.Created($"/api/tokens/{result.Value.Id}", result.Value);
    }

    public static async Task<Ok<List<TokenView>>> ListTokensAsync(
        [FromServices] TokenCatalog tokens,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await tokens.ListAsync(cancellationToken));

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        Guid id,
        [FromServices] TokenCatalog tokens,
        CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(id, cancellationToken) is { } failure ? failure.Problem() : TypedResults.NoContent();
}
