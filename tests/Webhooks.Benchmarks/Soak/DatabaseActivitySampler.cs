using System.Diagnostics;
using Npgsql;

namespace Webhooks.Benchmarks.Soak;

/// <summary>What PostgreSQL's background work was doing at one moment of a run.</summary>
/// <param name="Vacuuming">The tables autovacuum (or a manual VACUUM) was working on.</param>
/// <param name="Checkpoints">Checkpoints started so far (timed and requested).</param>
/// <param name="CheckpointBuffers">Buffers the checkpointer has written so far; growing while a checkpoint writes.</param>
public sealed record DatabaseActivitySample(double Seconds, IReadOnlyList<string> Vacuuming, long Checkpoints, long CheckpointBuffers);

/// <summary>
/// Watches PostgreSQL's own background work through a run, once a second: which tables autovacuum is on
/// (<c>pg_stat_progress_vacuum</c>) and whether a checkpoint is writing (<c>pg_stat_bgwriter</c>), so that the report can
/// say what the slow windows coincided with. The checkpointer's columns are read by name from the row as JSON: from
/// PostgreSQL 17 they moved to <c>pg_stat_checkpointer</c>, and a checkpoint then goes unseen rather than failing the run.
/// </summary>
public sealed class DatabaseActivitySampler(string connectionString)
{
    private const string Query = """
        SELECT coalesce((SELECT string_agg(DISTINCT relid::regclass::text, ',') FROM pg_stat_progress_vacuum), ''),
            coalesce((j->>'checkpoints_timed')::bigint + (j->>'checkpoints_req')::bigint, 0),
            coalesce((j->>'buffers_checkpoint')::bigint, 0)
        FROM (SELECT to_jsonb(b) AS j FROM pg_stat_bgwriter b) s
        """;

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>Samples until <paramref name="stop"/> is cancelled, timed by <paramref name="clock"/> (the run's own).</summary>
    public async Task<IReadOnlyList<DatabaseActivitySample>> SampleAsync(Stopwatch clock, CancellationToken stop)
    {
        var samples = new List<DatabaseActivitySample>();
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(stop).ConfigureAwait(false);
            using var timer = new PeriodicTimer(Every);
            do
            {
                await using var command = new NpgsqlCommand(Query, connection);
                await using var reader = await command.ExecuteReaderAsync(stop).ConfigureAwait(false);
                await reader.ReadAsync(stop).ConfigureAwait(false);
                samples.Add(new DatabaseActivitySample(
                    clock.Elapsed.TotalSeconds,
                    reader.GetString(0).Split(',', StringSplitOptions.RemoveEmptyEntries),
                    reader.GetInt64(1),
                    reader.GetInt64(2)));
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (NpgsqlException)
        {
            // The database stopped answering: the run goes on, and the windows from then on say nothing of it.
        }

        return samples;
    }

    /// <summary>
    /// What went on from <paramref name="start"/> for <paramref name="width"/> seconds: the tables autovacuum worked on
    /// and whether a checkpoint wrote; empty when neither, null when nothing was sampled then.
    /// </summary>
    public static string? Describe(IReadOnlyList<DatabaseActivitySample> samples, double start, double width)
    {
        var during = samples.Where(s => s.Seconds >= start && s.Seconds < start + width).ToList();
        if (during.Count == 0)
        {
            return null;
        }

        var before = samples.LastOrDefault(s => s.Seconds < start) ?? during[0];
        var parts = new List<string>();
        var tables = during.SelectMany(s => s.Vacuuming).Distinct().Order(StringComparer.Ordinal).ToList();
        if (tables.Count > 0)
        {
            parts.Add($"autovacuum on {string.Join(", ", tables)}");
        }

        if (during[^1].CheckpointBuffers > before.CheckpointBuffers || during[^1].Checkpoints > before.Checkpoints)
        {
            parts.Add("a checkpoint writing");
        }

        return string.Join("; ", parts);
    }
}
