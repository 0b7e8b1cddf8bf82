namespace Webhooks.Benchmarks.Load;

/// <summary>
/// One delivery as the retrying sender finished with it: its final answer (null: every attempt failed to connect or
/// timed out), how many attempts it took, and its place in send order (pushes to one repository are sent in turn).
/// </summary>
public sealed record SentDelivery(SignedPush Push, long Order, int? FinalStatus, int Attempts)
{
    public bool Answered2xx => FinalStatus is >= 200 and < 300;

    /// <summary>Every attempt failed: Bitbucket would show it failed and send nothing more.</summary>
    public bool GaveUp => !Answered2xx && (FinalStatus is null || RetryPolicy.IsRetryable(FinalStatus.Value));
}
