namespace Webhooks.Grains.Notifications;

/// <summary>
/// Where a warehouse's Freight events go and what they are signed with: <see cref="Secret"/> (Standard Webhooks'
/// <c>webhook-signature</c>; see <see cref="NotifySecret"/>), <see cref="PreviousSecret"/> as well while a rotation's
/// grace period runs (until <see cref="PreviousSecretValidUntil"/>), and, when <see cref="HubSignature"/> is set, the
/// deprecated <c>X-Hub-Signature</c> of the body alone with <see cref="Secret"/>.
/// </summary>
public sealed record NotifyTarget(
    string Url,
    string? Secret,
    string? PreviousSecret = null,
    DateTimeOffset? PreviousSecretValidUntil = null,
    bool HubSignature = false)
{
    /// <summary>The HMAC keys that sign an attempt made at <paramref name="time"/>: the current one first.</summary>
    public IReadOnlyList<byte[]> SigningKeys(DateTimeOffset time)
    {
        if (string.IsNullOrEmpty(Secret))
        {
            return [];
        }

        return !string.IsNullOrEmpty(PreviousSecret) && time < PreviousSecretValidUntil
            ? [NotifySecret.SigningKey(Secret), NotifySecret.SigningKey(PreviousSecret)]
            : [NotifySecret.SigningKey(Secret)];
    }
}
