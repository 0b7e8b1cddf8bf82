namespace Webhooks.Benchmarks.Accounting;

/// <summary>
/// The checks run after a scenario; <see cref="Failures"/> is empty when every guarantee held. <see cref="DrainSeconds"/>
/// is how long after the load the last delivery was processed and the last refresh request completed.
/// </summary>
public sealed record AccountingReport(
    long Answered2xx,
    long Answered2xxWithoutRow,
    long AcceptedRows,
    int WarehousesChecked,
    int WarehousesWithWrongFreight,
    long Refreshes,
    long HeadsRefreshedTwice,
    double DrainSeconds,
    IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
