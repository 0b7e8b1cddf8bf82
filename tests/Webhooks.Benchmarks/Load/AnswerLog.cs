using System.Collections.Concurrent;

namespace Webhooks.Benchmarks.Load;

/// <summary>
/// What the generator was answered, kept for the accounting: every delivery answered 2xx, and per repository the head of
/// the last accepted push, "last" by send order (pushes to one repository are sent one after another).
/// </summary>
public sealed class AnswerLog
{
    private long _sequence;

    private long _accepted;

    /// <summary>Every delivery id answered 2xx, with its best answer (202 is kept over a later duplicate's 200).</summary>
    public ConcurrentDictionary<string, int> Answered2xx { get; } = new();

    /// <summary>How many answers were 202: each must be a row of its own.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    public ConcurrentDictionary<int, (long Sequence, string Head)> LastAcceptedHead { get; } = new();

    public long Sending() => Interlocked.Increment(ref _sequence);

    public void Answered(SignedPush push, long sequence, int status)
    {
        if (status is < 200 or >= 300)
        {
            return;
        }

        Answered2xx.AddOrUpdate(push.DeliveryId, status, (_, old) => old == 202 ? old : status);
        if (status == 202)
        {
            Interlocked.Increment(ref _accepted);
            LastAcceptedHead.AddOrUpdate(push.Repository, (sequence, push.Head), (_, old) => old.Sequence > sequence ? old : (sequence, push.Head));
        }
    }
}
