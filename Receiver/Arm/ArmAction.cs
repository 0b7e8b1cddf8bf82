namespace Webhooks.Receiver.Arm;

/// <summary>The two ARM-style webhook actions.</summary>
internal enum ArmAction
{
    /// <summary><c>trigger-scm-push-request</c>: a push refreshes the project's subscribed warehouses.</summary>
    TriggerScmPush,

    /// <summary><c>sync-alm-commits</c>: a push only links its commits to ALM issues.</summary>
    SyncAlmCommits,
}
