using Npgsql;
using Webhooks.EndToEndTests;

namespace Webhooks.ChaosTests;

/// <summary>
/// Each Freight's notification reached the downstream target, and only once by its <c>Idempotency-Key</c> (the Freight
/// id), once every outbox entry of the project is settled. A replica killed after the target answered but before it
/// recorded the delivery makes another replica send it again with the same key (at least once, by design: the key lets
/// the target drop the repeat); <paramref name="repeatsAllowed"/> says whether the fault can cause that.
/// </summary>
public sealed class NotificationAccounting(string connectionString)
{
    public async Task<(IReadOnlyList<string> Failures, long Freight, long Notifications, long Repeats)> CheckAsync(
        string project, DownstreamServer target, IEnumerable<string> paths, TimeSpan patience, bool repeatsAllowed)
    {
        var failures = new List<string>();
        try
        {
            await Eventually.UntilAsync(() => CountAsync(project, "Pending"), pending => pending == 0, patience, $"every notification of {project} settled");
        }
        catch (TimeoutException e)
        {
            failures.Add(e.Message);
        }

        var failed = await CountAsync(project, "Failed").ConfigureAwait(false);
        if (failed > 0)
        {
            failures.Add($"{failed} notifications given up as failed");
        }

        var freight = await FreightIdsAsync(project).ConfigureAwait(false);
        var received = paths.SelectMany(target.ReceivedAt)
            .Select(r => r.Headers.TryGetValue("Idempotency-Key", out var key) && Guid.TryParse(key, out var id) ? id : Guid.Empty)
            .GroupBy(id => id)
            .ToDictionary(g => g.Key, g => g.Count());
        var never = freight.Count(id => !received.ContainsKey(id));
        var twice = received.Count(r => r.Value > 1);
        var unknown = received.Keys.Count(id => !freight.Contains(id));
        if (unknown > 0)
        {
            failures.Add($"{unknown} notifications for no Freight of the project");
        }

        if (never > 0)
        {
            failures.Add($"{never} of {freight.Count} Freight never notified");
        }

        if (twice > 0 && !repeatsAllowed)
        {
            failures.Add($"{twice} Freight notified more than once");
        }

        return (failures, freight.Count, received.Values.Sum(), received.Values.Sum(n => n - 1));
    }

    private async Task<long> CountAsync(string project, string status)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM notification_outbox o JOIN warehouses w ON w."Id" = o."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
            WHERE p."Name" = @project AND o."Status" = @status
            """, connection);
        command.Parameters.AddWithValue("project", project);
        command.Parameters.AddWithValue("status", status);
        return Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false));
    }

    private async Task<HashSet<Guid>> FreightIdsAsync(string project)
    {
        var ids = new HashSet<Guid>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT f."Id" FROM freight f JOIN warehouses w ON w."Id" = f."WarehouseId" JOIN projects p ON p."Id" = w."ProjectId"
            WHERE p."Name" = @project
            """, connection);
        command.Parameters.AddWithValue("project", project);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
