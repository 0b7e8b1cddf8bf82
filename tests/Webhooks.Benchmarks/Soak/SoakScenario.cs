using Webhooks.Benchmarks.Accounting;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Payloads;
using Webhooks.Benchmarks.Scenarios;
using Webhooks.Benchmarks.Stack;

namespace Webhooks.Benchmarks.Soak;

/// <summary>
/// 5. Soak: an open loop at a fixed rate for minutes, with the receiver's resident set and GC heap sampled every few
/// seconds from outside. Leaks show as RSS growth between the start (after a warm-up) and the end, or as a GC heap
/// that trends upward; the accounting afterwards also checks that the history holds one row per answer. PostgreSQL's
/// background work is watched too (<see cref="DatabaseActivitySampler"/>), so each latency window says whether
/// autovacuum or a checkpoint ran in it.
/// </summary>
public sealed class SoakScenario(ManagementClient api, Ledger ledger, DatabaseActivitySampler database, BenchmarkOptions options, Action<string> report)
{
    private static readonly TimeSpan SampleEvery = LoadResult.WindowWidth;
    private static readonly TimeSpan DrainPatience = TimeSpan.FromMinutes(2);

    public async Task<(ScenarioResult Result, IReadOnlyList<ProcessSample> Samples)> RunAsync(int receiverPid, double rate)
    {
        var context = await ScenarioContext.CreateAsync(api, "soak", options.Repositories, options.WarehousesPerRepository, report).ConfigureAwait(false);
        using var generator = new LoadGenerator(options.Connections);
        await using var sampler = ReceiverMemorySampler.Start(receiverPid);
        await sampler.WaitForFirstCounterAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        report($"soak: open loop at {rate:0} /s for {options.SoakDuration.TotalMinutes:0.#} min, sampling the receiver (pid {receiverPid}) every {SampleEvery.TotalSeconds:0} s");

        var samples = new List<ProcessSample>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(SampleEvery);
            do
            {
                lock (samples)
                {
                    samples.Add(sampler.Sample(clock.Elapsed.TotalSeconds));
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        });
        var watching = database.SampleAsync(clock, stop.Token);
        var load = await generator.OpenLoopAsync(
            i => context.Bodies.Push((int)(i % context.Bodies.Repositories), PushBodies.NewHead()),
            rate,
            options.SoakDuration,
            context.Log).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await sampling.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        samples.Add(sampler.Sample(clock.Elapsed.TotalSeconds));
        var activity = await watching.ConfigureAwait(false);
        var width = LoadResult.WindowWidth.TotalSeconds;
        load = load with
        {
            Windows = [.. load.Windows.Select(w => w with { DatabaseActivity = DatabaseActivitySampler.Describe(activity, w.StartSeconds, width) })],
        };
        var (drained, drainFailure) = await ledger.DrainAsync(context.Tenant.Project, DrainPatience).ConfigureAwait(false);
        var accounting = await ledger.CheckAsync(context.Tenant.Project, context.Log, context.WarehousesOf, drained, drainFailure).ConfigureAwait(false);
        var rows = await ledger.HistoryRowsAsync(context.Tenant.Project).ConfigureAwait(false);
        var answered = context.Log.Answered2xx.Count;
        if (rows != answered)
        {
            accounting = accounting with { Failures = [.. accounting.Failures, $"{rows} history rows but {answered} deliveries answered 2xx"] };
        }

        var figures = MemoryFigures.From(samples, options.SoakDuration);
        figures["historyRows"] = rows;
        figures["answered2xx"] = answered;
        report($"  RSS {figures["rssStartMib"]:0} → {figures["rssEndMib"]:0} MiB ({figures["rssGrowth"]:P1}), GC heap {figures["gcHeapStartMib"]:0} → {figures["gcHeapEndMib"]:0} MiB, trend {figures["gcHeapSlopeMibPerMinute"]:0.00} MiB/min");
        report($"  accounting {Scenarios.Scenarios.Describe(accounting)}");
        return (new ScenarioResult("soak", load, figures, accounting), samples);
    }
}
