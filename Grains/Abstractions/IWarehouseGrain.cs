using Orleans.Concurrency;

namespace Webhooks.Grains.Abstractions;

/// <summary>
/// One warehouse (key: its id). Refreshes one at a time, merges requests that arrive during a refresh into at most
/// one follow-up refresh, and treats a request for heads it already has as a no-op. Requests are written to
/// PostgreSQL before they are acknowledged, so a silo that dies loses none: any activation resumes them.
/// </summary>
[Alias("Webhooks.IWarehouseGrain")]
public interface IWarehouseGrain : IGrainWithGuidKey
{
    /// <summary>Records the request durably and returns; the refresh runs after, in the background.</summary>
    /// <remarks>
    /// Interleaved with every other call, so that concurrent requests can be committed as one batch instead of one
    /// INSERT after another. That is safe because the grain's turns all run on the activation's single-threaded
    /// scheduler: a call only appends to the intake queue and awaits its batch; nothing it touches is read across an
    /// await by another call, and the refresh itself never runs inside a call.
    /// </remarks>
    [Alias("RequestRefresh"), AlwaysInterleave]
    Task<RefreshAcknowledgement> RequestRefreshAsync(RefreshTrigger trigger);

    /// <summary>
    /// Makes sure pending requests are being worked on: called by a repository's dispatch once it has written requests
    /// for the warehouse, and by the sweeper for warehouses with old pending rows.
    /// </summary>
    /// <remarks>
    /// Interleaved: it only starts the background refresh loop if it is not running, and returns. One-way: the caller
    /// has nothing to wait for (the requests are durable already, and a wake-up lost with a silo leaves them to the
    /// refresh sweeper), so no answer message is sent back — a dispatch wakes two warehouses per delivery on average,
    /// and the answers were a third of the grain messages a delivery causes.
    /// </remarks>
    [Alias("Resume"), AlwaysInterleave, OneWay]
    Task ResumeAsync();

    /// <summary>Requests an interval refresh when git-mode subscriptions are due to be listed again.</summary>
    [Alias("Poll")]
    Task PollAsync();

    /// <summary>The warehouse's configuration changed (interval, subscriptions): reload it.</summary>
    [Alias("Invalidate")]
    Task InvalidateAsync();
}
