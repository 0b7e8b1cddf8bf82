using Webhooks.Benchmarks;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Reporting;
using Webhooks.Benchmarks.Soak;
using Xunit.Abstractions;

namespace Webhooks.EndToEndTests;

/// <summary>
/// The benchmark harness, scenarios 1 (ingest), 3 (burst) and 4 (dedupe storm) for seconds instead of minutes, on a stack
/// of its own: checks the harness works and that every guarantee the accounting checks holds under concurrent load. It
/// asserts correctness only, never speed (speed is what <c>docs/benchmarks.md</c> reports).
/// </summary>
public sealed class BenchmarkSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task UnderLoadEveryAnswerIsCommittedFreightFollowsTheLastHeadAndDuplicatesAreAnsweredOnce()
    {
        var options = BenchmarkOptions.Smoke();

        var report = await Benchmarks.BenchmarkRun.RunAsync(options, output.WriteLine);

        Assert.Equal(["ingest", "burst", "dedupe"], report.Scenarios.Select(s => s.Name));
        foreach (var scenario in report.Scenarios)
        {
            Assert.True(scenario.Accounting.Passed, $"{scenario.Name}: {string.Join("; ", scenario.Accounting.Failures)}");
            Assert.Equal(0, scenario.Load.Errors);
            Assert.True(scenario.Load.Answers2xx == scenario.Load.Answered, $"{scenario.Name}: answers {string.Join(", ", scenario.Load.ByStatus)}");
        }

        var ingest = report.Scenario("ingest")!;
        Assert.True(ingest.Accounting.Answered2xx > 0);
        Assert.Equal(options.Repositories * options.WarehousesPerRepository, ingest.Accounting.WarehousesChecked);

        var burst = report.Scenario("burst")!;
        Assert.Equal(options.BurstPushes, burst.Load.ByStatus.GetValueOrDefault(202));
        Assert.Equal(1, burst.Accounting.WarehousesChecked);

        var dedupe = report.Scenario("dedupe")!;
        Assert.Equal(options.DedupeDeliveries, dedupe.Load.ByStatus.GetValueOrDefault(202));
        Assert.Equal(options.DedupeDeliveries * (options.DedupeCopies - 1), dedupe.Load.ByStatus.GetValueOrDefault(200));
        Assert.InRange(dedupe.Accounting.Refreshes, 1, options.DedupeDeliveries);
    }

    [Fact]
    public void ANewReportKeepsTheFindingsWrittenByHandBelowItsGeneratedPart()
    {
        var existing = "# Benchmarks\n\n| ingest | 900 |\n\n## Targets\n\n| old |\n\n## Findings (by hand)\n\nThe JIT was busy.\n";

        var kept = ReportWriter.HandWritten(existing);

        Assert.Equal(Environment.NewLine + "## Findings (by hand)\n\nThe JIT was busy.\n", kept);
        Assert.Equal("", ReportWriter.HandWritten("# Benchmarks\n\n| ingest | 900 |\n"));
        Assert.Equal(Environment.NewLine + "## Findings\nOnly these.", ReportWriter.HandWritten("## Findings\nOnly these."));
    }

    [Fact]
    public void LatenciesAreReportedByTheWindowTheirRequestsWereSentIn()
    {
        var latencies = new Latencies();
        latencies.Record(0.5, 10);
        latencies.Record(1.0, 12);
        latencies.Record(4.9, 11);
        latencies.Record(6.0, 1_500);

        var windows = latencies.Windows(TimeSpan.FromSeconds(5));

        Assert.Equal([0.0, 5.0], windows.Select(w => w.StartSeconds));
        Assert.Equal([3, 1], windows.Select(w => w.Requests));
        Assert.Equal([12.0, 1_500.0], windows.Select(w => w.Latency.Max));
        Assert.Equal(1_500, latencies.Summarise().Max);
    }

    [Fact]
    public void DatabaseBackgroundWorkIsDescribedByTheWindowItRanIn()
    {
        DatabaseActivitySample[] samples =
        [
            new(0.5, [], Checkpoints: 0, CheckpointBuffers: 100),
            new(1.5, ["deliveries"], Checkpoints: 0, CheckpointBuffers: 100),
            new(2.5, ["freight", "deliveries"], Checkpoints: 1, CheckpointBuffers: 150),
            new(5.5, [], Checkpoints: 1, CheckpointBuffers: 150),
        ];

        Assert.Equal("autovacuum on deliveries, freight; a checkpoint writing", DatabaseActivitySampler.Describe(samples, 0, 5));
        Assert.Equal("", DatabaseActivitySampler.Describe(samples, 5, 5));
        Assert.Null(DatabaseActivitySampler.Describe(samples, 10, 5));
    }

    [Fact]
    public void TheReportSaysHowManySlowWindowsHadDatabaseBackgroundWork()
    {
        static LatencyWindow Window(double start, double max, string? activity) =>
            new(start, 100, new LatencySummary(max / 2, max / 2, max, max)) { DatabaseActivity = activity };

        LatencyWindow[] watched =
        [
            Window(0, 1_500, "autovacuum on deliveries"), Window(5, 1_200, ""), Window(10, 90, "a checkpoint writing"),
            Window(15, 80, ""), Window(20, 70, ""), Window(25, 60, ""),
        ];

        Assert.Equal(" Of those, 1 had autovacuum or a checkpoint at work; of the other windows, 25 %.", ReportWriter.BackgroundWork(watched));
        Assert.Equal("", ReportWriter.BackgroundWork([Window(0, 1_500, null)]));
    }
}
