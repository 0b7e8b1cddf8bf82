namespace Webhooks.Grains.Notifications;

/// <summary>One attempt to deliver a <see cref="FreightNotification"/>.</summary>
public sealed record NotificationAttemptResult(
    int Attempt,
    DateTimeOffset StartedAt,
    double DurationMs,
    int? StatusCode,
    string? Error,
    bool Succeeded);
