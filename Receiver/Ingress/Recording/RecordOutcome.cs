namespace Webhooks.Receiver.Ingress.Recording;

/// <summary>What happened to a history row handed to the <see cref="DeliveryRecorder"/>.</summary>
public enum RecordOutcome
{
    /// <summary>The row is committed.</summary>
    Committed,

    /// <summary>Another row already owns the same dedupe key: this delivery is a duplicate; nothing was written.</summary>
    DuplicateKey,
}
