using System.ComponentModel.DataAnnotations;

namespace Webhooks.Grains.Notifications;

/// <summary>The <c>Webhooks:Notifications</c> settings: how hard <see cref="HttpFreightNotifier"/> tries.</summary>
public sealed class NotificationOptions : IValidatableObject
{
    public const string SectionName = "Webhooks:Notifications";

    /// <summary>Attempts per notification, the first included.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first back-off; it doubles per retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts, also the cap on a target's <c>Retry-After</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take, from connecting to the response headers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Refuse to connect to loopback, private, link-local and other non-public addresses (see
    /// <see cref="PrivateNetworkGuard"/>). Off by default because local development posts to loopback; turn it on
    /// wherever downstream targets are on the internet.
    /// </summary>
    public bool BlockPrivateNetworks { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDelay < BaseDelay)
            yield return new ValidationResult("MaxDelay must not be shorter than BaseDelay.", [nameof(MaxDelay), nameof(BaseDelay)]);
    }
}
