using Webhooks.Benchmarks.Accounting;
using Webhooks.Benchmarks.Baselines;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Reporting;
using Webhooks.Benchmarks.Scenarios;
using Webhooks.Benchmarks.Soak;
using Webhooks.Benchmarks.Stack;
using Webhooks.Testing;

namespace Webhooks.Benchmarks;

/// <summary>
/// One benchmark run: the ceiling baseline, the storage baseline, then the real AppHost started through
/// Aspire.Hosting.Testing (<see cref="AppHostStack"/>) and the scenarios against it, each followed by its accounting.
/// The CI smoke test calls this with <see cref="BenchmarkOptions.Smoke"/>.
/// </summary>
public static class BenchmarkRun
{
    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, Action<string> report, CancellationToken cancellationToken = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var ceiling = await MeasureCeilingAsync(options, report).ConfigureAwait(false);

        await using var telemetry = options.Telemetry ? await OtlpSink.StartAsync().ConfigureAwait(false) : null;
        var directory = TraversableTemporaryDirectory.Create("webhooks-bench-");
        var stackOptions = new AppHostStackOptions
        {
            Replicas = options.Replicas,
            DataDirectory = Path.Combine(directory, "data"),
            // The stack's log lines go to a file: on the console they would cost the generator CPU and hide the figures.
            LogPath = Path.Combine(directory, "stack.log"),
            HealthTimeout = TimeSpan.FromSeconds(180),
        };
        // What production runs: no development-only checks (e.g. the container's scope validation) in the figures.
        stackOptions.ProjectEnvironment["ASPNETCORE_ENVIRONMENT"] = "Production";
        stackOptions.ProjectEnvironment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in telemetry?.Environment ?? new Dictionary<string, string>())
        {
            stackOptions.ProjectEnvironment[name] = value;
        }

        foreach (var (name, value) in options.ReceiverEnvironment)
        {
            // Experiments with the services' runtime (e.g. DOTNET_TieredPGO=1) without changing the product.
            stackOptions.ProjectEnvironment[name] = value;
        }

        report($"starting the stack (PostgreSQL, Redis, {options.Replicas} receiver(s), dashboard) through the AppHost; its log: {stackOptions.LogPath}"
            + (telemetry is null ? "" : $"; telemetry to {telemetry.Url}"));
        var stack = await AppHostStack.StartAsync(stackOptions, cancellationToken).ConfigureAwait(false);
        try
        {
            var receiverPids = await ServiceProcessesAsync(stack, options.Replicas).ConfigureAwait(false);
            report($"receiver process(es): {string.Join(", ", receiverPids)}; PostgreSQL: {string.Join(", ", stack.Processes.Tree("postgres"))}");
            var connectionString = await stack.ConnectionStringAsync("postgres", cancellationToken).ConfigureAwait(false);
            var storage = options.Storage ? await StorageBenchmark.RunAsync(connectionString, options.Duration, report).ConfigureAwait(false) : null;
            using var api = new ManagementClient(stack.Receiver, stack.AdminToken);
            var scenarios = new Scenarios.Scenarios(
                api, new Ledger(connectionString), options, () => stack.Processes.ServiceProcesses("receiver"), () => stack.Processes.Tree("postgres"), report);
            var results = new List<ScenarioResult>();
            var (ingest, context) = await scenarios.IngestAsync().ConfigureAwait(false);
            results.Add(ingest);
            var openLoopRate = options.OpenLoopRate ?? Math.Max(1, ingest.Load.Throughput / 2);
            if (options.Latency)
            {
                results.Add(await scenarios.LatencyAsync(context, openLoopRate).ConfigureAwait(false));
            }

            results.Add(await scenarios.BurstAsync().ConfigureAwait(false));
            results.Add(await scenarios.DedupeStormAsync().ConfigureAwait(false));
            IReadOnlyList<ProcessSample> samples = [];
            if (options.SoakDuration > TimeSpan.Zero)
            {
                var soak = new SoakScenario(api, new Ledger(connectionString), new DatabaseActivitySampler(connectionString), options, report);
                (var result, samples) = await soak.RunAsync(receiverPids[0], openLoopRate).ConfigureAwait(false);
                results.Add(result);
            }

            if (telemetry is not null)
            {
                report($"telemetry received: {telemetry.Describe()}");
                if (telemetry.Requests == 0)
                {
                    throw new InvalidOperationException($"--telemetry: the services exported nothing to {telemetry.Url} (stack log: {stack.LogPath})");
                }
            }

            return new BenchmarkReport(startedAt, options.Command, Machine(), ceiling, storage, results) { SoakSamples = samples };
        }
        finally
        {
            await stack.DisposeAsync().ConfigureAwait(false);
            // The log stays (its path was reported); the data (the PostgreSQL cluster) goes.
            if (Directory.Exists(stack.DataDirectory))
            {
                Directory.Delete(stack.DataDirectory, recursive: true);
            }
        }
    }

    /// <summary>
    /// The receiver replicas' service processes (each the child of the <c>dotnet run</c> Aspire reports): what CPU,
    /// resident set and GC heap are read from.
    /// </summary>
    private static async Task<IReadOnlyList<int>> ServiceProcessesAsync(AppHostStack stack, int replicas)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (; ; )
        {
            var pids = stack.Processes.ServiceProcesses("receiver");
            if (pids.Count == replicas)
            {
                return pids;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{replicas} receiver service processes expected, found {pids.Count} (stack log: {stack.LogPath})");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private static async Task<LoadResult> MeasureCeilingAsync(BenchmarkOptions options, Action<string> report)
    {
        await using var ceiling = await CeilingServer.StartAsync(BenchmarkTenant.SharedSecret).ConfigureAwait(false);
        var bodies = new Payloads.PushBodies("ceiling", options.Repositories, BenchmarkTenant.SharedSecret, ceiling.Url, ceiling.Url);
        using var generator = new LoadGenerator(options.Connections);
        report($"ceiling: closed loop, {options.Connections} connections, {options.Duration.TotalSeconds:0} s");
        var turns = new int[options.Connections];
        var result = await generator.ClosedLoopAsync(
            c => bodies.Push((c + options.Connections * turns[c]++) % options.Repositories, Payloads.PushBodies.NewHead()),
            options.Duration,
            new AnswerLog()).ConfigureAwait(false);
        report($"  {result.Throughput:0} /s, p99 {result.Latency.P99:0.0} ms");
        return result;
    }

    private static string Machine() => $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
}
