using Webhooks.Grains.Deliveries;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// Hostile requests beyond <c>BadInputTests</c>' malformed ones (which stay there and are not repeated): forged,
/// truncated and replayed signatures, other algorithms, header floods, gigantic and deeply nested bodies, broken
/// framing, trickled bodies, path tricks, other methods, the ARM and management endpoints. Each names the answer of
/// the ingress contract and the history rows it may leave.
/// </summary>
public static partial class HostileCorpus
{
    /// <summary>A real Bitbucket Cloud push (14 KB), the body most cases bend.</summary>
    public static readonly byte[] Push = BitbucketSender.Fixture("cloud-repo-push-signed.json");

    public static IReadOnlyList<HostileCase> All { get; } =
        [.. Signatures(), .. Headers(), .. Bodies(), .. Paths(), .. Transport(), .. OtherEndpoints()];

    /// <summary>Refused by ingress before the signature was proved: one rejection row, no body kept.</summary>
    private static HostileCase Refused(string name, int status, string? reason, Func<HostileTarget, HttpRequestMessage> build) =>
        new(name, status, [DeliveryOutcome.Rejected], reason, target => target.SendAsync(build(target)));

    /// <summary>Refused by ingress, sent over a bare socket: one rejection row, no body kept.</summary>
    private static HostileCase RefusedRaw(string name, int status, string? reason, Func<HostileTarget, Task<RawAnswer>> send) =>
        new(name, status, [DeliveryOutcome.Rejected], reason, send);

    /// <summary>Correctly signed, refused for its content: one rejection row that keeps the body.</summary>
    private static HostileCase RefusedSigned(string name, int status, string reason, byte[] body, string eventKey = "repo:push") =>
        new(name, status, [DeliveryOutcome.Rejected], reason, target => target.SendAsync(target.Cloud(body, target.Secret, eventKey))) { BodyKept = true };

    /// <summary>Odd but legitimate: accepted and recorded with its body.</summary>
    private static HostileCase Accepted(string name, Func<HostileTarget, HttpRequestMessage> build) =>
        new(name, 202, [DeliveryOutcome.Accepted], null, target => target.SendAsync(build(target))) { BodyKept = true };

    /// <summary>Odd but legitimate, sent over a bare socket: accepted and recorded with its body.</summary>
    private static HostileCase AcceptedRaw(string name, Func<HostileTarget, Task<RawAnswer>> send) =>
        new(name, 202, [DeliveryOutcome.Accepted], null, send) { BodyKept = true };

    /// <summary>A bad X-Hub-Signature on the real push: 401, the body's hash and size kept, never the body.</summary>
    private static HostileCase Forged(string name, string reason, Func<HostileTarget, string> signature) =>
        Refused(name, 401, reason, target => target.WithSignature(Push, signature(target)));

    /// <summary>Answered by Kestrel before any of our code runs: nothing recorded, Kestrel's own (empty) answer.</summary>
    private static HostileCase ByKestrel(string name, int status, Func<HostileTarget, Task<RawAnswer>> send) =>
        new(name, status, [], null, send) { IsProblem = false };

    /// <summary>Not an ingress request at all (another route, another method): a problem answer and no history row.</summary>
    private static HostileCase NotIngress(string name, int status, Func<HostileTarget, Task<RawAnswer>> send) =>
        new(name, status, [], null, send);
}
