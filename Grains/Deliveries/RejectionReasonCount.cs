namespace Webhooks.Grains.Deliveries;

/// <summary>How many requests were rejected for one reason (with its status code), and the latest of them.</summary>
public sealed record RejectionReasonCount(string? Reason, int StatusCode, long Count, DateTimeOffset LatestAt);
