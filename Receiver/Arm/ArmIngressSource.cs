using Microsoft.Net.Http.Headers;
using Webhooks.Grains.Events;
using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Ingress;

namespace Webhooks.Receiver.Arm;

/// <summary>
/// <c>/api/webhook/v2/{project}/…</c>: authenticated by a webhook token of that project, presented as
/// <c>Authorization: Bearer</c>, as <c>?token=</c> (Bitbucket Cloud cannot add headers), or used as the webhook
/// secret (then <c>X-Hub-Signature</c> is checked against every usable webhook token of the project). Admin tokens
/// are refused here on purpose: a URL or secret pasted into Bitbucket must not carry management rights.
/// </summary>
internal sealed class ArmIngressSource(string project, ArmAction action, bool enterprise, ApiTokenVerifier verifier) : IngressSource
{
    public const string TokenQueryParameter = "token";

    public override string LimiterKey => "arm:" + project;

    public override BitbucketProduct DefaultProduct => enterprise ? BitbucketProduct.DataCenter : BitbucketProduct.Cloud;

    public override string NotFoundDetail => "No project at this address.";

    public override async ValueTask<IngressResolution> ResolveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var tokens = await verifier.FindProjectTokensAsync(project, cancellationToken);
        if (tokens is null)
        {
            return IngressResolution.NotFound;
        }

        var target = new IngressTarget(
            Scope: $"arm:{tokens.ProjectId}:{(action == ArmAction.TriggerScmPush ? "trigger" : "sync")}",
            ProjectId: tokens.ProjectId,
            ProjectName: tokens.ProjectName,
            Name: action == ArmAction.TriggerScmPush ? "trigger-scm-push-request" : "sync-alm-commits",
            ReceiverId: null,
            TokenId: null,
            SigningKeys: tokens.Tokens.Select(t => new IngressKey(ApiTokenSecret.SigningKey(t.Key), t.TokenId)).ToList(),
            Authenticated: false,
            RequiresAuthentication: true,
            MissingSignatureReason: "No webhook token: sign with it as the webhook secret (X-Hub-Signature), or send Authorization: Bearer <token> or ?token=<token>.",
            ServerUrl: null,
            FollowUp: action == ArmAction.TriggerScmPush ? IngressFollowUp.RouteAndLinkWhenEnabled : IngressFollowUp.LinkOnly);

        var presented = PresentedToken(request);
        if (presented is null)
        {
            return target;
        }

        var verified = await verifier.VerifyAsync(presented, cancellationToken);
        return verified is { Type: ApiTokenType.Webhook } && verified.ProjectId == tokens.ProjectId
            ? target with { Authenticated = true, TokenId = verified.Id, SigningKeys = [] }
            // Unknown, revoked, expired, another project's, or an admin token: all the same to the sender.
            : IngressResolution.Refused("The token is not a valid webhook token of this project.");
    }

    private static string? PresentedToken(HttpRequest request)
    {
        string? authorization = request.Headers[HeaderNames.Authorization];
        if (!string.IsNullOrEmpty(authorization) && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var query = request.Query[TokenQueryParameter];
        return query.Count == 1 && !string.IsNullOrEmpty(query[0]) ? query[0] : null;
    }
}
