namespace Webhooks.Benchmarks.Accounting;

/// <summary>The checks run after a scenario; <see cref="Failures"/> is empty when every guarantee held.</summary>
public sealed record AccountingReport(
    long Answered2xx,
    long Answered2xxWithoutRow,
    long AcceptedRows,
    int WarehousesChecked,
    int WarehousesWithWrongFreight,
    long Refreshes,
    long HeadsRefreshedTwice,
    IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
