namespace Webhooks.Grains.Events;

/// <summary>What an event means to us, whatever its Bitbucket event key.</summary>
[GenerateSerializer, Alias("Webhooks.BitbucketEventKind")]
public enum BitbucketEventKind
{
    /// <summary>Cloud <c>repo:push</c> or Data Center <c>repo:refs_changed</c>.</summary>
    Push,

    /// <summary>Data Center <c>mirror:repo_synchronized</c>; may carry no changes at all (<c>refLimitExceeded</c>).</summary>
    MirrorSynchronized,

    /// <summary>Cloud <c>pullrequest:*</c> or Data Center <c>pr:*</c>.</summary>
    PullRequest,

    /// <summary>Data Center <c>diagnostics:ping</c> ("Test connection").</summary>
    Ping,

    /// <summary>Any other event key: recorded, not acted on.</summary>
    Other,
}
