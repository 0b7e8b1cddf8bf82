using Npgsql;
using Webhooks.Benchmarks.Accounting;
using Webhooks.Benchmarks.Load;

namespace Webhooks.ChaosTests;

/// <summary>
/// The guarantees after a fault, read from PostgreSQL against what the retrying sender was answered: every delivery
/// answered 2xx is in history exactly once; each warehouse's latest Freight is the last head committed for its
/// repository; no head was refreshed twice. A delivery committed whose answer was lost (a replica killed after the
/// commit, a timeout) is not a failure: Bitbucket resends it and is answered "duplicate", or it gave up; it is counted.
/// </summary>
public sealed class FaultAccounting(string connectionString)
{
    private readonly Ledger _ledger = new(connectionString);

    /// <summary>Waits until every accepted delivery is processed and every refresh request completed; else says what is left.</summary>
    public async Task<string?> DrainAsync(string project, TimeSpan patience) => (await _ledger.DrainAsync(project, patience)).Failure;

    public async Task<(IReadOnlyList<string> Failures, long CommittedButNotAnswered2xx)> CheckAsync(
        string project, RetryingLoadResult load, Func<int, string> warehouseOf)
    {
        var failures = new List<string>();
        var rows = await AcceptedRowsAsync(project).ConfigureAwait(false);

        var answered = load.Deliveries.Where(d => d.Answered2xx).ToList();
        var missing = answered.Count(d => !rows.ContainsKey(d.Push.DeliveryId));
        if (missing > 0)
        {
            failures.Add($"{missing} of {answered.Count} deliveries answered 2xx are not in history");
        }

        var repeated = rows.Count(r => r.Value > 1);
        if (repeated > 0)
        {
            failures.Add($"{repeated} deliveries are in history more than once");
        }

        var committedNotTold = load.Deliveries.LongCount(d => !d.Answered2xx && rows.ContainsKey(d.Push.DeliveryId));

        var latest = await _ledger.LatestFreightAsync(project).ConfigureAwait(false);
        var wrong = new List<string>();
        foreach (var lastCommitted in load.Deliveries
                     .Where(d => rows.ContainsKey(d.Push.DeliveryId))
                     .GroupBy(d => d.Push.Repository)
                     .Select(g => g.MaxBy(d => d.Order)!))
        {
            var warehouse = warehouseOf(lastCommitted.Push.Repository);
            if (!latest.TryGetValue(warehouse, out var commit) || commit != lastCommitted.Push.Head)
            {
                wrong.Add($"{warehouse}: latest Freight {commit ?? "none"}, last head committed {lastCommitted.Push.Head}");
            }
        }

        if (wrong.Count > 0)
        {
            failures.Add($"{wrong.Count} warehouses with a wrong latest Freight ({string.Join("; ", wrong.Take(3))})");
        }

        var twice = await _ledger.HeadsRefreshedTwiceAsync(project).ConfigureAwait(false);
        if (twice > 0)
        {
            failures.Add($"{twice} heads refreshed more than once");
        }

        return (failures, committedNotTold);
    }

    /// <summary>Accepted history rows of the project by delivery id, with how many rows each id has.</summary>
    private async Task<Dictionary<string, int>> AcceptedRowsAsync(string project)
    {
        var rows = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT d."RequestId", count(*) FROM deliveries d JOIN projects p ON p."Id" = d."ProjectId"
            WHERE p."Name" = @project AND d."Outcome" = 'Accepted' AND d."RequestId" IS NOT NULL
            GROUP BY d."RequestId"
            """, connection);
        command.Parameters.AddWithValue("project", project);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            rows[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return rows;
    }
}
