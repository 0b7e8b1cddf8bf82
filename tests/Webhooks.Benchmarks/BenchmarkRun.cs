using Webhooks.AppHost.Hosting.Configuration;
using Webhooks.AppHost.Hosting.Projects;
using Webhooks.AppHost.Hosting.Testing;
using Webhooks.Benchmarks.Accounting;
using Webhooks.Benchmarks.Baselines;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Reporting;
using Webhooks.Benchmarks.Scenarios;
using Webhooks.Benchmarks.Soak;
using Webhooks.Benchmarks.Stack;

namespace Webhooks.Benchmarks;

/// <summary>
/// One benchmark run: the ceiling baseline, the storage baseline, then the stack started through the AppHost library and
/// the scenarios against it, each followed by its accounting. The CI smoke test calls this with <see cref="BenchmarkOptions.Smoke"/>.
/// </summary>
public static class BenchmarkRun
{
    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, Action<string> report, CancellationToken cancellationToken = default)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var ceiling = await MeasureCeilingAsync(options, report).ConfigureAwait(false);

        var dataDirectory = Path.Combine(Path.GetTempPath(), $"webhooks-bench-{Guid.NewGuid():N}");
        var stackOptions = new StackOptions
        {
            Replicas = options.Replicas,
            DataDirectory = dataDirectory,
            Fresh = true,
            HealthTimeout = TimeSpan.FromSeconds(180),
            EnvironmentName = "Production",
            LogSink = new QuietLogSink(Path.Combine(Path.GetTempPath(), $"webhooks-bench-{startedAt:yyyyMMddHHmmss}.log")),
        };
        report("starting the stack (PostgreSQL, Garnet, receiver)");
        var builder = DistributedApplicationTestingBuilder.Create(stackOptions);
        foreach (var (name, value) in options.ReceiverEnvironment)
        {
            // Experiments with the receiver's runtime (e.g. DOTNET_TieredPGO=1) without changing the product.
            builder.GetResource<ProjectResource>("receiver").WithEnvironment(name, value);
        }

        await using var app = builder.Build();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connectionString = app.GetConnectionString("webhooks");
            var storage = options.Storage ? await StorageBenchmark.RunAsync(connectionString, options.Duration, report).ConfigureAwait(false) : null;
            using var api = new ManagementClient(app.GetEndpoint("receiver"), app.AdminToken);
            var receiver = app.GetResource<ProjectResource>("receiver");
            var scenarios = new Scenarios.Scenarios(api, new Ledger(connectionString), options, () => receiver.ProcessIds, report);
            var results = new List<ScenarioResult>();
            var (ingest, context) = await scenarios.IngestAsync().ConfigureAwait(false);
            results.Add(ingest);
            if (options.Latency)
            {
                results.Add(await scenarios.LatencyAsync(context, Math.Max(1, ingest.Load.Throughput / 2)).ConfigureAwait(false));
            }

            results.Add(await scenarios.BurstAsync().ConfigureAwait(false));
            results.Add(await scenarios.DedupeStormAsync().ConfigureAwait(false));
            IReadOnlyList<ProcessSample> samples = [];
            if (options.SoakDuration > TimeSpan.Zero)
            {
                var receiverPid = receiver.ProcessIds[0];
                var soak = new SoakScenario(api, new Ledger(connectionString), options, report);
                (var result, samples) = await soak.RunAsync(receiverPid, Math.Max(1, ingest.Load.Throughput / 2)).ConfigureAwait(false);
                results.Add(result);
            }

            return new BenchmarkReport(startedAt, options.Command, Machine(), ceiling, storage, results) { SoakSamples = samples };
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
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
