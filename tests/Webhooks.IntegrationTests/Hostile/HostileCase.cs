using Webhooks.Grains.Deliveries;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>
/// One hostile request (or a short exchange ending in one) and what the ingress contract says must come of it.
/// </summary>
/// <param name="Name">Says what is hostile about it.</param>
/// <param name="Status">The last answer's status (<see cref="RawAnswer.NoAnswer"/>: the connection closed without one).</param>
/// <param name="Rows">
/// The outcomes of the history rows the exchange leaves (rows carry the case's request id), oldest first. Empty when
/// the request never reaches ingress: Kestrel refuses it, or it is not an ingress route.
/// </param>
/// <param name="Reason">Part of the problem's detail, when the sender must be told something specific.</param>
/// <param name="Send">Sends the exchange and returns the last answer.</param>
public sealed record HostileCase(string Name, int Status, DeliveryOutcome[] Rows, string? Reason, Func<HostileTarget, Task<RawAnswer>> Send)
{
    /// <summary>Whether the last row may keep the body: only after a valid signature.</summary>
    public bool BodyKept { get; init; }

    /// <summary>Whether the answer is our RFC 9457 problem; false for what Kestrel answers on its own.</summary>
    public bool IsProblem { get; init; } = Status >= 400;

    /// <summary>The status the last row records; differs from <see cref="Status"/> only when no answer could be sent.</summary>
    public int RecordedStatus { get; init; } = Status;

    public override string ToString() => Name;
}
