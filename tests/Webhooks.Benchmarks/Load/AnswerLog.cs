using System.Collections.Concurrent;

namespace Webhooks.Benchmarks.Load;

/// <summary>
/// What the generator was answered, kept for the accounting: every delivery answered 2xx, and per repository the head of
/// the last accepted push, "last" by send order (pushes to one repository are sent one after another).
/// </summary>
public sealed class AnswerLog
{
    private long _sequence;

    public ConcurrentDictionary<string, int> Answered2xx { get; } = new();

    public ConcurrentDictionary<int, (long Sequence, string Head)> LastAcceptedHead { get; } = new();

    public long Sending() => Interlocked.Increment(ref _sequence);

    public void Answered(SignedPush push, long sequence, int status)
    {
        if (status is < 200 or >= 300)
        {
            return;
        }

        Answered2xx[push.DeliveryId] = status;
        if (status == 202)
        {
            LastAcceptedHead.AddOrUpdate(push.Repository, (sequence, push.Head), (_, old) => old.Sequence > sequence ? old : (sequence, push.Head));
        }
    }
}
