namespace Webhooks.Grains.Refresh;

/// <summary>
/// What a refresh pass reads of one warehouse, under its lock (<see cref="PassStatements.ReadAsync"/>): the pending
/// requests (each with when its delivery was received), which of their heads are Freight already, and the latest Freight
/// of each ref they name.
/// </summary>
internal sealed record PassState(
    IReadOnlyList<RefreshRequest> Pending,
    KnownHeads Known,
    IReadOnlyDictionary<(string RepositoryKey, string Ref), LatestFreight> Latest);

/// <summary>A ref's newest Freight: its commit, and when the newest delivery announcing it was received (null: none).</summary>
internal sealed record LatestFreight(string Commit, DateTimeOffset? Announced);

/// <summary>
/// What one pass commits for its warehouse: the run (null when every request was redundant), the requests it
/// completes, the new Freight (with an outbox row each when <paramref name="Notify"/>) and, for a warehouse the git poller
/// polls, its last refresh.
/// </summary>
internal sealed record PassWrite(
    Guid WarehouseId,
    RefreshRun? Run,
    IReadOnlyList<RefreshRequest> Completed,
    IReadOnlyList<Warehouses.Freight> Freight,
    bool Notify,
    DateTimeOffset? RefreshedAt)
{
    /// <summary>Requests the pass completed as deduplicated (their heads all Freight already), for the metrics.</summary>
    public int Deduplicated => Completed.Count(r => r.Outcome is Abstractions.RefreshRequestOutcome.Deduplicated);
}
