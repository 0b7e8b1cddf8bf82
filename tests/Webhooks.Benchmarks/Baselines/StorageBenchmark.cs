using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Webhooks.Benchmarks.Baselines;

/// <summary>
/// PostgreSQL's own rate for delivery rows: pgbench inserting rows shaped like an accepted delivery (headers, a
/// compressed-body-sized blob, the unique dedupe key) into a copy of the <c>deliveries</c> table with its indexes,
/// one row per transaction and in batches, the way the product's group commit writes them.
/// </summary>
public static partial class StorageBenchmark
{
    public const int Clients = 8;
    public const int BatchSize = 32;

    private const string Row = """
        (gen_random_uuid(), now(), gen_random_uuid(), gen_random_uuid(), 'Cloud', 'repo:push', gen_random_uuid()::text,
         'r:' || gen_random_uuid()::text, 1, 'Accepted', 202,
         '{"X-Event-Key":"repo:push","X-Hub-Signature":"sha256=0000","Content-Type":"application/json","User-Agent":"Bitbucket-Webhooks/2.0"}',
         sha256(gen_random_uuid()::text::bytea), 14000, decode(repeat(md5(random()::text), 100), 'hex'),
         '{"outcome":"accepted","warehouses":2}', 'bitbucket.org/bench/repo', '127.0.0.1', 1.5)
        """;

    private const string Columns = """
        ("Id", "ReceivedAt", "ProjectId", "ReceiverId", "Source", "Event", "RequestId", "DedupeKey", "AttemptNumber", "Outcome",
         "StatusCode", "Headers", "BodySha256", "BodySize", "CompressedBody", "Answer", "RepositoryKey", "RemoteAddress", "DurationMs")
        """;

    public static async Task<StorageBaseline?> RunAsync(string connectionString, TimeSpan duration, Action<string> report)
    {
        var pgbench = new[] { "/usr/lib/postgresql/15/bin/pgbench", "/usr/bin/pgbench" }.FirstOrDefault(File.Exists)
            ?? Directory.EnumerateFiles("/usr/lib/postgresql", "pgbench", SearchOption.AllDirectories).FirstOrDefault();
        if (pgbench is null)
        {
            report("storage: pgbench not found, skipped");
            return null;
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand(
                "DROP TABLE IF EXISTS bench_deliveries; CREATE TABLE bench_deliveries (LIKE deliveries INCLUDING DEFAULTS INCLUDING INDEXES);", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var directory = Directory.CreateTempSubdirectory("webhooks-pgbench-").FullName;
        try
        {
            var single = Path.Combine(directory, "single.sql");
            var batched = Path.Combine(directory, "batched.sql");
            await File.WriteAllTextAsync(single, $"INSERT INTO bench_deliveries {Flat(Columns)} VALUES {Flat(Row)};\n").ConfigureAwait(false);
            await File.WriteAllTextAsync(batched, $"INSERT INTO bench_deliveries {Flat(Columns)} VALUES {string.Join(", ", Enumerable.Repeat(Flat(Row), BatchSize))};\n").ConfigureAwait(false);
            var seconds = Math.Max(1, (int)duration.TotalSeconds);
            report($"storage: pgbench, {Clients} clients, {seconds} s single-row and {seconds} s batched");
            var singleTps = await PgbenchAsync(pgbench, connectionString, single, seconds).ConfigureAwait(false);
            var batchedTps = await PgbenchAsync(pgbench, connectionString, batched, seconds).ConfigureAwait(false);
            report($"  {singleTps:0} rows/s single, {batchedTps * BatchSize:0} rows/s batched");
            return new StorageBaseline(Clients, singleTps, BatchSize, batchedTps * BatchSize);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            await using var drop = new NpgsqlCommand("DROP TABLE IF EXISTS bench_deliveries;", connection);
            await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    // pgbench reads one command per line.
    private static string Flat(string sql) => string.Join(' ', sql.Split('\n', StringSplitOptions.TrimEntries));

    private static async Task<double> PgbenchAsync(string pgbench, string connectionString, string script, int seconds)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(pgbench)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-n", "-c", Clients.ToString(CultureInfo.InvariantCulture), "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture),
                "-f", script, "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!, target.Database!,
            },
        };
        start.Environment["PGPASSWORD"] = target.Password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        var text = await output.ConfigureAwait(false);
        var match = Tps().Match(text);
        return process.ExitCode == 0 && match.Success
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {await error.ConfigureAwait(false)}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex Tps();
}
