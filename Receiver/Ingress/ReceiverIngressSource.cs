using Webhooks.Grains.Receivers;

namespace Webhooks.Receiver.Ingress;

/// <summary>
/// <c>/webhooks/bitbucket/{receiverPath}</c>: the receiver at that path (cached), signed with its secret (and the
/// previous one during its grace period); a receiver without a secret accepts unsigned deliveries.
/// </summary>
internal sealed class ReceiverIngressSource(
    string receiverPath,
    IReceiverDirectory receivers,
    ReceiverSecretProtector secretProtector,
    TimeProvider timeProvider) : IngressSource
{
    public override string LimiterKey => receiverPath;

    public override string NotFoundDetail => "No receiver at this address.";

    public override async ValueTask<IngressResolution> ResolveAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var receiver = await receivers.FindAsync(receiverPath, cancellationToken);
        if (receiver is null)
        {
            return IngressResolution.NotFound;
        }

        return new IngressTarget(
            Scope: receiver.Id.ToString(),
            ProjectId: receiver.ProjectId,
            ProjectName: receiver.ProjectName,
            Name: receiver.Name,
            ReceiverId: receiver.Id,
            TokenId: null,
            SigningKeys: CurrentSecrets(receiver),
            Authenticated: false,
            RequiresAuthentication: false,
            MissingSignatureReason: "The X-Hub-Signature header is missing; this receiver has a secret.",
            ServerUrl: receiver.ServerUrl,
            FollowUp: IngressFollowUp.RouteAndLinkWhenEnabled)
        {
            AllowedNetworks = receiver.AllowedNetworks ?? [],
        };
    }

    private List<IngressKey> CurrentSecrets(ReceiverEntry receiver)
    {
        var secrets = new List<IngressKey>(2);
        if (secretProtector.SigningKey(receiver.ProtectedSecret) is { } current)
        {
            secrets.Add(new IngressKey(current, null));
        }

        if (receiver.PreviousSecretValidUntil > timeProvider.GetUtcNow() && secretProtector.SigningKey(receiver.ProtectedPreviousSecret) is { } previous)
        {
            secrets.Add(new IngressKey(previous, null));
        }

        return secrets;
    }
}
