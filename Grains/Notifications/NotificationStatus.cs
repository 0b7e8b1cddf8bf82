namespace Webhooks.Grains.Notifications;

public enum NotificationStatus
{
    Pending,
    Delivered,

    /// <summary>Every round of retries failed, or the target answered a 4xx that says retrying is pointless.</summary>
    Failed,
}
