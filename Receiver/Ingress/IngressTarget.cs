namespace Webhooks.Receiver.Ingress;

/// <summary>What follows the commit of an accepted delivery.</summary>
internal enum IngressFollowUp
{
    /// <summary>Route pushes to the subscribed warehouses; link commits when the project has smart commits on.</summary>
    RouteAndLinkWhenEnabled,

    /// <summary>Only link commits to ALM issues (ARM's <c>sync-alm-commits</c>).</summary>
    LinkOnly,
}

/// <summary>A key one of the target's senders may sign with; <see cref="TokenId"/> when the key is a webhook token.</summary>
internal sealed record IngressKey(byte[] Key, Guid? TokenId);

/// <summary>
/// What an ingress endpoint resolved a request to (a receiver, or a project's ARM-style endpoint): whose delivery
/// it is, how it proves itself, how duplicates are scoped, and what follows the commit. The rest of the pipeline
/// is the same for every endpoint.
/// </summary>
/// <param name="Scope">Duplicates are detected within this scope (a receiver, or a project's ARM action).</param>
/// <param name="Name">Names the endpoint in logs: a receiver name or the ARM action. Never a credential.</param>
/// <param name="Authenticated">Already proved (a bearer or query token); no signature needed.</param>
/// <param name="RequiresAuthentication">Refuse unsigned requests even without keys (ARM); receivers without a secret accept them.</param>
/// <param name="MissingSignatureReason">The 401 detail when nothing authenticates the request.</param>
/// <param name="AllowedNetworks">Where deliveries may come from (normalised CIDR); empty: anywhere.</param>
internal sealed record IngressTarget(
    string Scope,
    Guid ProjectId,
    string ProjectName,
    string Name,
    Guid? ReceiverId,
    Guid? TokenId,
    IReadOnlyList<IngressKey> SigningKeys,
    bool Authenticated,
    bool RequiresAuthentication,
    string MissingSignatureReason,
    string? ServerUrl,
    IngressFollowUp FollowUp)
{
    public IReadOnlyList<string> AllowedNetworks { get; init; } = [];
}

/// <summary>A target, or why there is none: unknown (404) or refused credentials (401).</summary>
internal readonly record struct IngressResolution(IngressTarget? Target, string? Unauthorized)
{
    public static IngressResolution NotFound => default;

    public static IngressResolution Refused(string reason) => new(null, reason);

    public static implicit operator IngressResolution(IngressTarget target) => new(target, null);
}
