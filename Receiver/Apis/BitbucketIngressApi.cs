using Webhooks.Receiver.Ingress;

namespace Webhooks.Receiver.Apis;

/// <summary><c>POST /webhooks/bitbucket/{receiverPath}</c>: where Bitbucket Cloud and Data Center deliver events.</summary>
internal static class BitbucketIngressApi
{
    public static RouteGroupBuilder MapBitbucketIngressApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/webhooks/bitbucket")
            .WithTags("Ingress")
            .AllowAnonymous();

        api.MapPost("/{receiverPath}", async (string receiverPath, HttpContext context, BitbucketIngress ingress) =>
                (await ingress.HandleAsync(receiverPath, context)).ToResult())
            .WithName("ReceiveBitbucketEvent")
            .WithSummary("Receive a Bitbucket Cloud or Data Center webhook event")
            .WithDescription("Authenticated by X-Hub-Signature (HMAC-SHA256 of the body with the receiver's secret). " +
                "Answers 202 once the delivery is committed to the history, 200 for duplicates and pings.")
            .Produces<IngressAnswer>(StatusCodes.Status202Accepted)
            .Produces<IngressAnswer>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return api;
    }
}
