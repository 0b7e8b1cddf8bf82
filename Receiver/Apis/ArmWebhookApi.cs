using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Arm;
using Webhooks.Receiver.Ingress;

namespace Webhooks.Receiver.Apis;

/// <summary>
/// AutoRABIT ARM-style webhook endpoints per project: <c>trigger-scm-push-request</c> and <c>sync-alm-commits</c>,
/// and the same under <c>enterprise/</c> for Bitbucket Data Center. Same answers, dedupe and history as receivers.
/// </summary>
internal static class ArmWebhookApi
{
    public static RouteGroupBuilder MapArmWebhookApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhook/v2/{project}")
            .WithTags("Ingress")
            .AllowAnonymous();

        Map(api, "/trigger-scm-push-request", ArmAction.TriggerScmPush, enterprise: false, "ArmTriggerScmPush",
            "Bitbucket Cloud push: refresh the project's subscribed warehouses");
        Map(api, "/sync-alm-commits", ArmAction.SyncAlmCommits, enterprise: false, "ArmSyncAlmCommits",
            "Bitbucket Cloud push: link its commits to ALM issues");
        Map(api, "/enterprise/trigger-scm-push-request", ArmAction.TriggerScmPush, enterprise: true, "ArmEnterpriseTriggerScmPush",
            "Bitbucket Data Center push: refresh the project's subscribed warehouses");
        Map(api, "/enterprise/sync-alm-commits", ArmAction.SyncAlmCommits, enterprise: true, "ArmEnterpriseSyncAlmCommits",
            "Bitbucket Data Center push: link its commits to ALM issues");
        return api;
    }

    private static void Map(RouteGroupBuilder api, string pattern, ArmAction action, bool enterprise, string name, string summary) =>
        api.MapPost(pattern, async (string project, HttpContext context, BitbucketIngress ingress, ApiTokenVerifier verifier) =>
                (await ingress.HandleAsync(new ArmIngressSource(project, action, enterprise, verifier), context)).ToResult())
            .WithName(name)
            .WithSummary(summary)
            .WithDescription("Authenticated by a webhook token of the project: as the webhook secret (X-Hub-Signature), " +
                "as Authorization: Bearer, or as ?token= (Bitbucket Cloud cannot add headers). Admin tokens are refused.")
            .Produces<IngressAnswer>(StatusCodes.Status202Accepted)
            .Produces<IngressAnswer>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
