using System.Threading.Channels;
using Webhooks.Grains.Events;

namespace Webhooks.Receiver.SmartCommits;

/// <summary>A committed push whose commits may link to ALM issues.</summary>
/// <param name="Always">ARM's sync-alm-commits: link whatever the project's setting; otherwise only when enabled.</param>
internal sealed record CommitLinkWork(Guid DeliveryId, Guid ProjectId, bool Always, BitbucketEvent Push);

/// <summary>
/// Hands pushes from ingress to <see cref="CommitLinkWorker"/> without making the answer wait: linking happens after
/// the delivery row is committed and never delays or fails the 202. Bounded: when full, a push is not linked (logged),
/// and a redelivery or sync-alm-commits call links it later.
/// </summary>
internal sealed partial class CommitLinkQueue(ILogger<CommitLinkQueue> logger)
{
    private readonly Channel<CommitLinkWork> _channel = Channel.CreateBounded<CommitLinkWork>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public ChannelReader<CommitLinkWork> Reader => _channel.Reader;

    /// <summary>Queues a push that carries commits; anything else is not worth a look.</summary>
    public void Enqueue(Guid deliveryId, Guid projectId, bool always, BitbucketEvent bitbucketEvent)
    {
        if (bitbucketEvent.Kind != BitbucketEventKind.Push || !bitbucketEvent.Changes.Any(c => c.Commits.Count > 0))
        {
            return;
        }

        if (!_channel.Writer.TryWrite(new CommitLinkWork(deliveryId, projectId, always, bitbucketEvent)))
        {
            LogQueueFull(deliveryId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The commit-link queue is full; delivery {DeliveryId} is not linked")]
    private partial void LogQueueFull(Guid deliveryId);
}
