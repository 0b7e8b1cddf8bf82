namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>What happened to a history row handed to the <see cref="DeliveryRecorder"/>.</summary>
public enum RecordOutcome
{
    /// <summary>The row is committed.</summary>
    Committed,

    /// <summary>
    /// The delivery repeats one already recorded (the same delivery id in its scope, or the same body within the dedupe
    /// window), possibly one that won a race with it a moment ago; nothing was written.
    /// </summary>
    Duplicate,
}
