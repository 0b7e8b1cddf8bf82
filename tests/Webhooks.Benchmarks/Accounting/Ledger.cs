using System.Diagnostics;
using Npgsql;
using Webhooks.Benchmarks.Load;

namespace Webhooks.Benchmarks.Accounting;

/// <summary>
/// Reads PostgreSQL after a scenario and checks the product's guarantees against what the generator was answered:
/// every 2xx is a committed delivery row; every warehouse's latest Freight is the last head accepted for its repository;
/// no head became Freight twice or was refreshed by two runs.
/// </summary>
public sealed class Ledger(string connectionString)
{
    /// <summary>
    /// Waits until every accepted delivery is processed and no refresh request is pending (a dispatched delivery is
    /// processed once none of its requests is open, so the first two counts say it without the per-delivery view): the
    /// refresh queue empty, then every request completed.
    /// Returns how long that took after the load (how far the refresh engine was behind), or what is left when it took
    /// longer than <paramref name="patience"/>.
    /// </summary>
    public async Task<(TimeSpan Elapsed, string? Failure)> DrainAsync(string project, TimeSpan patience)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var pending = await ScalarAsync("""
                SELECT (SELECT count(*) FROM delivery_progress g JOIN deliveries d ON d."Id" = g."DeliveryId" JOIN projects p ON p."Id" = d."ProjectId"
                         WHERE p."Name" = @project AND g."DispatchedAt" IS NULL AND g."ProcessedAt" IS NULL)
                     + (SELECT count(*) FROM refresh_queue q JOIN warehouses w ON w."Id" = q."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
                         WHERE p."Name" = @project)
                     + (SELECT count(*) FROM refreshes r JOIN warehouses w ON w."Id" = r."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
                         WHERE p."Name" = @project AND r."Status" = 'Running')
                """, project).ConfigureAwait(false);
            if (pending == 0)
            {
                var elapsed = clock.Elapsed;
                // The queue is what the passes read; the requests themselves must agree (one walk, after the clock).
                var open = await ScalarAsync("""
                    SELECT count(*) FROM refresh_requests r JOIN warehouses w ON w."Id" = r."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
                    WHERE p."Name" = @project AND NOT EXISTS (SELECT 1 FROM refresh_outcomes o WHERE o."RequestId" = r."Id")
                    """, project).ConfigureAwait(false);
                return (elapsed, open == 0 ? null : $"the refresh queue is empty but {open} refresh requests are not completed");
            }

            if (clock.Elapsed > patience)
            {
                return (clock.Elapsed, $"{pending} deliveries or refresh requests still pending {patience.TotalSeconds:0} s after the load");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }
    }

    public async Task<AccountingReport> CheckAsync(
        string project, AnswerLog log, Func<int, IEnumerable<string>> warehousesOf, TimeSpan drained = default, string? drainFailure = null)
    {
        var failures = new List<string>();
        if (drainFailure is not null)
        {
            failures.Add(drainFailure);
        }

        var rows = await RequestIdsAsync(project).ConfigureAwait(false);
        var missing = log.Answered2xx.Keys.Count(id => !rows.Contains(id));
        if (missing > 0)
        {
            failures.Add($"{missing} deliveries answered 2xx have no committed row");
        }

        var accepted = await ScalarAsync("""
            SELECT count(*) FROM deliveries d JOIN projects p ON p."Id" = d."ProjectId" WHERE p."Name" = @project AND d."Outcome" = 'Accepted'
            """, project).ConfigureAwait(false);
        var accepted202 = log.Accepted;
        if (accepted != accepted202)
        {
            failures.Add($"{accepted} accepted rows but {accepted202} answers 202");
        }

        var latest = await LatestFreightAsync(project).ConfigureAwait(false);
        var checkedCount = 0;
        var wrong = 0;
        foreach (var (repository, last) in log.LastAcceptedHead)
        {
            foreach (var warehouse in warehousesOf(repository))
            {
                checkedCount++;
                if (!latest.TryGetValue(warehouse, out var commit) || commit != last.Head)
                {
                    wrong++;
                    if (wrong <= 3)
                    {
                        failures.Add($"warehouse {warehouse}: latest Freight {commit ?? "none"}, last head accepted {last.Head}");
                    }
                }
            }
        }

        if (wrong > 3)
        {
            failures.Add($"… {wrong} warehouses in all with a wrong latest Freight");
        }

        var refreshes = await ScalarAsync("""
            SELECT count(*) FROM refreshes r JOIN warehouses w ON w."Id" = r."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId" WHERE p."Name" = @project
            """, project).ConfigureAwait(false);
        var twice = await HeadsRefreshedTwiceAsync(project).ConfigureAwait(false);
        if (twice > 0)
        {
            failures.Add($"{twice} heads refreshed more than once");
        }

        return new AccountingReport(log.Answered2xx.Count, missing, accepted, checkedCount, wrong, refreshes, twice, drained.TotalSeconds, failures);
    }

    /// <summary>Heads of <paramref name="project"/> that became Freight twice or were refreshed by two runs: must be 0.</summary>
    public async Task<long> HeadsRefreshedTwiceAsync(string project)
    {
        // A head refreshed twice would be a second Freight row for it, or a second run whose request carried it.
        return await ScalarAsync("""
            SELECT count(*) FROM (
              SELECT f."WarehouseId", f."Commit" FROM freight f JOIN warehouses w ON w."Id" = f."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
              WHERE p."Name" = @project GROUP BY f."WarehouseId", f."Ref", f."Commit" HAVING count(*) > 1
              UNION ALL
              SELECT r."WarehouseId", h->>'Commit' FROM refresh_requests r JOIN warehouses w ON w."Id" = r."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
                     JOIN refresh_outcomes o ON o."RequestId" = r."Id",
                     jsonb_array_elements(r."Heads") h
              WHERE p."Name" = @project AND o."Outcome" = 'Refreshed'
              GROUP BY r."WarehouseId", h->>'Commit' HAVING count(DISTINCT o."RefreshId") > 1) twice
            """, project).ConfigureAwait(false);
    }

    /// <summary>Every history row of the project's deliveries, whatever their outcome.</summary>
    public async Task<long> HistoryRowsAsync(string project) => await ScalarAsync("""
        SELECT count(*) FROM deliveries d JOIN projects p ON p."Id" = d."ProjectId" WHERE p."Name" = @project
        """, project).ConfigureAwait(false);

    public async Task<long> RefreshesAsync(string project, string warehouse) => await ScalarAsync("""
        SELECT count(*) FROM refreshes r JOIN warehouses w ON w."Id" = r."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
        WHERE p."Name" = @project AND w."Name" = @warehouse
        """, project, warehouse).ConfigureAwait(false);

    private async Task<HashSet<string>> RequestIdsAsync(string project)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT d."RequestId" FROM deliveries d JOIN projects p ON p."Id" = d."ProjectId" WHERE p."Name" = @project AND d."Outcome" = 'Accepted'
            """, connection);
        command.Parameters.AddWithValue("project", project);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            if (!reader.IsDBNull(0))
            {
                ids.Add(reader.GetString(0));
            }
        }

        return ids;
    }

    /// <summary>Each warehouse of <paramref name="project"/> by name, with the commit of its latest Freight.</summary>
    public async Task<Dictionary<string, string>> LatestFreightAsync(string project)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT DISTINCT ON (w."Id") w."Name", f."Commit"
            FROM freight f JOIN warehouses w ON w."Id" = f."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
            WHERE p."Name" = @project
            ORDER BY w."Id", f."DiscoveredAt" DESC, f."Id" DESC
            """, connection);
        command.Parameters.AddWithValue("project", project);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            latest[reader.GetString(0)] = reader.GetString(1);
        }

        return latest;
    }

    private async Task<long> ScalarAsync(string sql, string project, string? warehouse = null)
    {
        await using var connection = await OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("project", project);
        if (warehouse is not null)
        {
            command.Parameters.AddWithValue("warehouse", warehouse);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false));
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        // The checks scan the whole run's history (a hundred thousand rows and more) right after the load, while
        // autovacuum works through the same tables: Npgsql's default 30 s is not the time they may take.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 300 }.ConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        return connection;
    }
}
