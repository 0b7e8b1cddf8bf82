namespace Webhooks.Grains.Persistence;

/// <summary>
/// Group commit for work written after ingress has answered (the silo's dispatch and refresh-pass batches): whatever is
/// added while one batch is written goes into the next, so that the database sees one round trip and one commit per
/// batch rather than per item. One loop writes at a time, off the callers' schedulers, and stops when nothing is left.
/// <para>
/// Once it has work, the loop first waits up to <c>linger</c> for more (unless a full batch is already waiting): under a
/// steady moderate load, writing each item as soon as the previous batch committed made batches of two or three, and a
/// delivery cost PostgreSQL twice as much as under full load. The caller's items carry their own completion: <c>write</c>
/// completes them, and every item of a batch whose <c>write</c> throws is failed with the exception.
/// </para>
/// </summary>
/// <param name="write">Writes one batch and completes each of its items.</param>
/// <param name="fail">Fails an item of a batch whose <paramref name="write"/> threw.</param>
/// <param name="maxBatchSize">Items written together at most; more wait for the next batch.</param>
/// <param name="linger">How long a batch waits for more items before it is written; zero writes at once.</param>
/// <param name="clock">The clock the linger waits on.</param>
internal sealed class GroupCommit<T>(Func<List<T>, Task> write, Action<T, Exception> fail, int maxBatchSize, TimeSpan linger, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private List<T> _queue = [];
    private bool _running;

    /// <summary>Queues <paramref name="item"/> for the next batch, and starts the loop unless it runs.</summary>
    public void Add(T item)
    {
        bool start;
        lock (_lock)
        {
            _queue.Add(item);
            start = !_running;
            _running = true;
        }

        if (start)
        {
            // Off the calling grain's scheduler: the loop serves every grain of the silo.
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            bool full;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }

                full = _queue.Count >= maxBatchSize;
            }

            if (!full && linger > TimeSpan.Zero)
            {
                await Task.Delay(linger, clock);
            }

            List<T> batch;
            lock (_lock)
            {
                batch = _queue.Count <= maxBatchSize ? _queue : _queue.GetRange(0, maxBatchSize);
                _queue = _queue.Count <= maxBatchSize ? [] : _queue.GetRange(maxBatchSize, _queue.Count - maxBatchSize);
            }

            try
            {
                await write(batch);
            }
            catch (Exception e)
            {
                foreach (var item in batch)
                {
                    fail(item, e);
                }
            }
        }
    }
}
