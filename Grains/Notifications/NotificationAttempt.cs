namespace Webhooks.Grains.Notifications;

/// <summary>One HTTP attempt to post a Freight event, as recorded while it happens.</summary>
public sealed class NotificationAttempt
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid OutboxId { get; set; }

    public Guid FreightId { get; set; }

    public int Round { get; set; }

    public int Attempt { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public double DurationMs { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }

    public bool Succeeded { get; set; }
}
