using System.Globalization;
using System.Text;
using System.Text.Json;
using Webhooks.Benchmarks.Load;

namespace Webhooks.Benchmarks.Reporting;

/// <summary>Writes <c>benchmarks.json</c> (every figure) and <c>benchmarks.md</c> (the table, the ratios, the command).</summary>
public static class ReportWriter
{
    /// <summary>The heading that starts the hand-written part of <c>benchmarks.md</c>, which a new run keeps.</summary>
    public const string FindingsHeading = "## Findings";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A figure that could not be measured (a counter that never arrived) is NaN, written as "NaN".
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task WriteAsync(BenchmarkReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "benchmarks.json"), JsonSerializer.Serialize(report, Json)).ConfigureAwait(false);
        var markdown = Path.Combine(directory, "benchmarks.md");
        var findings = File.Exists(markdown) ? HandWritten(await File.ReadAllTextAsync(markdown).ConfigureAwait(false)) : "";
        await File.WriteAllTextAsync(markdown, Markdown(report) + findings).ConfigureAwait(false);
    }

    /// <summary>
    /// How the windows with a request over 1 s line up with PostgreSQL's background work, when the run watched it:
    /// " Of those, 5 had autovacuum or a checkpoint at work; of the others, 40 %."
    /// </summary>
    public static string BackgroundWork(IReadOnlyList<LatencyWindow> windows)
    {
        var watched = windows.Where(w => w.DatabaseActivity is not null).ToList();
        if (watched.Count == 0)
        {
            return "";
        }

        var slow = watched.Where(w => w.Latency.Max > 1000).ToList();
        var others = watched.Except(slow).ToList();
        var busyOthers = others.Count == 0 ? 0 : (double)others.Count(w => w.DatabaseActivity!.Length > 0) / others.Count;
        return FormattableString.Invariant(
            $" Of those, {slow.Count(w => w.DatabaseActivity!.Length > 0)} had autovacuum or a checkpoint at work; of the other windows, {busyOthers:P0}.");
    }

    /// <summary>The three windows with the highest p99, in run order.</summary>
    public static IReadOnlyList<LatencyWindow> SlowestWindows(LoadResult load) =>
        [.. load.Windows.OrderByDescending(w => w.Latency.P99).Take(3).OrderBy(w => w.StartSeconds)];

    /// <summary>Everything from <see cref="FindingsHeading"/> on (the analysis people wrote after earlier runs), or "".</summary>
    public static string HandWritten(string existing)
    {
        // Searched behind a leading line break, so a heading on the first line is found too; the index is then the
        // heading's own in the original.
        var at = ("\n" + existing).IndexOf("\n" + FindingsHeading, StringComparison.Ordinal);
        return at < 0 ? "" : Environment.NewLine + existing[at..];
    }

    public static string Markdown(BenchmarkReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {report.StartedAt:yyyy-MM-dd HH:mm} UTC on {report.Machine}, with the generator on the same machine. Reproduce with:").AppendLine();
        md.AppendLine("```").AppendLine(report.Command).AppendLine("```").AppendLine();
        md.AppendLine("Every ratio is against the **ceiling** measured in the same run: a minimal Kestrel endpoint in the benchmark process that reads the body, verifies the HMAC and answers 202. "
            + "Absolute figures depend on what else the machine is doing (other builds ran beside this one): compare ratios, not rates, across runs. "
            + "Every figure is also in `benchmarks.json`.").AppendLine();
        md.AppendLine("| run | mode | conns / rate | seconds | answered | per second | vs ceiling | p50 ms | p90 ms | p99 ms | max ms | answers | errors | accounting |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Row(md, "ceiling", report.Ceiling, report.Ceiling.Throughput, "n/a");
        foreach (var scenario in report.Scenarios)
        {
            Row(md, scenario.Name, scenario.Load, report.Ceiling.Throughput, Scenarios.Scenarios.Describe(scenario.Accounting));
        }

        md.AppendLine();
        if (report.Scenario("ingest") is { } cost && cost.Figures.TryGetValue("receiverCpuMsPerDelivery", out var receiverMs))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**CPU per accepted delivery** in the ingest run, from the start of the load to the end of the drain (its refreshes included), read from `/proc`: "
                + $"receiver {receiverMs:0.00} ms, PostgreSQL {cost.Figures["postgresCpuMsPerDelivery"]:0.00} ms. They depend less than the rates on what else the host runs, though not nothing.").AppendLine();
        }

        if (report.Scenario("latency") is { } latency && latency.Figures.TryGetValue("receiverCpuMsPerDelivery", out var openReceiverMs))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**The same in the latency run** (open loop at half the ingest rate, where each group commit carries fewer deliveries): "
                + $"receiver {openReceiverMs:0.00} ms, PostgreSQL {latency.Figures["postgresCpuMsPerDelivery"]:0.00} ms.").AppendLine();
        }

        foreach (var open in report.Scenarios.Where(s => s.Load.Mode == "open" && s.Load.Windows.Count > 1))
        {
            var width = LoadResult.WindowWidth.TotalSeconds;
            var slowest = string.Join("; ", SlowestWindows(open.Load).Select(w => FormattableString.Invariant(
                $"{w.StartSeconds:0}–{w.StartSeconds + width:0} s: p99 {w.Latency.P99:0} ms, max {w.Latency.Max:0} ms")
                + (string.IsNullOrEmpty(w.DatabaseActivity) ? "" : $" ({w.DatabaseActivity})")));
            var overOneSecond = open.Load.Windows.Count(w => w.Latency.Max > 1000);
            md.AppendLine(CultureInfo.InvariantCulture, $"**When the {open.Name} run's slow requests were** (by send time, {width:0} s windows, the 3 with the highest p99): "
                + $"{slowest}. Windows with a request over 1 s: {overOneSecond} of {open.Load.Windows.Count}.{BackgroundWork(open.Load.Windows)}").AppendLine();
        }

        if (report.Storage is { } storage)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**Storage** (pgbench, {storage.Clients} clients, delivery-shaped rows into a copy of the `deliveries` table): "
                + $"{storage.SingleRowPerSecond:0} rows/s one row per transaction, {storage.BatchedRowsPerSecond:0} rows/s in batches of {storage.BatchSize}.");
            if (report.Scenario("ingest") is { } ingest)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"Ingest accepted {ingest.Load.ByStatus.GetValueOrDefault(202) / ingest.Load.Seconds:0} deliveries/s: "
                    + $"{Ratio(ingest.Load.ByStatus.GetValueOrDefault(202) / ingest.Load.Seconds, storage.SingleRowPerSecond)} of the single-row rate, "
                    + $"{Ratio(ingest.Load.ByStatus.GetValueOrDefault(202) / ingest.Load.Seconds, storage.BatchedRowsPerSecond)} of the batched rate.");
            }

            md.AppendLine();
        }

        md.AppendLine("## Targets").AppendLine();
        md.AppendLine("| target | measured | met |").AppendLine("| --- | --- | --- |");
        // Issue 19's targets.
        if (report.Scenario("ingest") is { } i)
        {
            if (i.Figures.TryGetValue("receiverCpuMsPerDelivery", out var receiverCpu))
            {
                var cpu = receiverCpu + i.Figures["postgresCpuMsPerDelivery"];
                md.AppendLine(CultureInfo.InvariantCulture, $"| receiver + PostgreSQL CPU per accepted delivery, its refreshes included, ≤ 0.6 ms | {cpu:0.00} ms ({receiverCpu:0.00} + {i.Figures["postgresCpuMsPerDelivery"]:0.00}) | {Met(cpu <= 0.6)} |");
            }

            var ratio = i.Load.Throughput / report.Ceiling.Throughput;
            md.AppendLine(CultureInfo.InvariantCulture, $"| ingest ≥ 25% of the ceiling, drained ≤ 5 s after the load | {ratio:P0}, drained in {i.Accounting.DrainSeconds:0.0} s | {Met(ratio >= 0.25 && i.Accounting.DrainSeconds <= 5)} |");
        }

        if (report.Scenario("latency") is { } l)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| p99 at half load ({l.Load.TargetRate:0} /s) ≤ 20 ms | {l.Load.Latency.P99:0.0} ms | {Met(l.Load.Latency.P99 <= 20)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| no request over 1 s at half load, none lost | max {l.Load.Latency.Max:0.0} ms, {l.Load.Errors} errors, {l.Load.Sent - l.Load.Answers2xx} not 2xx | {Met(l.Load.Latency.Max <= 1000 && l.Load.Errors == 0 && l.Load.Answers2xx == l.Load.Sent)} |");
        }
        else
        {
            md.AppendLine("| p99 at half load ≤ 20 ms | not run | — |");
        }

        if (report.Scenario("burst") is { } b)
        {
            var refreshes = b.Figures["refreshes"];
            md.AppendLine(CultureInfo.InvariantCulture, $"| burst ≤ 3 refreshes, final Freight correct | {refreshes:0} refreshes, Freight {(b.Accounting.WarehousesWithWrongFreight == 0 ? "correct" : "wrong")} | {Met(refreshes <= 3 && b.Accounting.WarehousesWithWrongFreight == 0)} |");
        }

        if (report.Scenario("dedupe") is { } d)
        {
            var accepted = d.Figures["accepted"];
            var duplicates = d.Figures["duplicates"];
            var refreshes = d.Figures["refreshes"];
            var expectedAccepted = d.Figures["expectedAccepted"];
            var expectedDuplicates = d.Figures["expectedDuplicates"];
            md.AppendLine(CultureInfo.InvariantCulture, $"| dedupe storm: exactly {expectedAccepted:0} accepted, {expectedDuplicates:0} duplicates, ≤ {expectedAccepted:0} refreshes | {accepted:0} accepted, {duplicates:0} duplicates, {refreshes:0} refreshes | "
                + $"{Met(accepted == expectedAccepted && duplicates == expectedDuplicates && refreshes <= expectedAccepted)} |");
        }

        if (report.Scenario("soak") is { } s)
        {
            var f = s.Figures;
            md.AppendLine(CultureInfo.InvariantCulture, $"| soak ({s.Load.Seconds / 60:0.#} min at {s.Load.TargetRate:0} /s): no request over 1 s, p99 ≤ 50 ms | max {s.Load.Latency.Max:0} ms, p99 {s.Load.Latency.P99:0.0} ms | {Met(s.Load.Latency.Max <= 1000 && s.Load.Latency.P99 <= 50)} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| soak: RSS growth < 10% | {f["rssStartMib"]:0} → {f["rssEndMib"]:0} MiB ({f["rssGrowth"]:P1}) | {Met(f["rssGrowth"] < 0.10)} |");
            md.AppendLine(double.IsNaN(f["gcHeapTrend"])
                ? "| soak: no GC heap growth trend | not measured (the runtime counters did not arrive) | — |"
                : string.Create(CultureInfo.InvariantCulture, $"| soak: no GC heap growth trend | {f["gcHeapStartMib"]:0} → {f["gcHeapEndMib"]:0} MiB, slope {f["gcHeapSlopeMibPerMinute"]:0.00} MiB/min ({f["gcHeapTrend"]:P1} of the mean over the run) | {Met(f["gcHeapTrend"] < 0.10)} |"));
            md.AppendLine(CultureInfo.InvariantCulture, $"| soak: history rows = deliveries answered | {f["historyRows"]:0} rows, {f["answered2xx"]:0} answered | {Met(f["historyRows"] == f["answered2xx"])} |");
        }
        else
        {
            md.AppendLine("| soak RSS growth < 10% | not run (`--soak 10m`) | — |");
        }
        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, LoadResult load, double ceiling, string accounting)
    {
        var answers = string.Join(", ", load.ByStatus.Select(s => $"{s.Key}: {s.Value}"));
        var shape = load.Mode == "open" ? $"{load.TargetRate:0} /s" : load.Connections.ToString(CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {load.Mode} | {shape} | {load.Seconds:0.0} | {load.Answered} | {load.Throughput:0} | {Ratio(load.Throughput, ceiling)} | {load.Latency.P50:0.0} | {load.Latency.P90:0.0} | {load.Latency.P99:0.0} | {load.Latency.Max:0.0} | {answers} | {load.Errors} | {accounting} |");
    }

    private static string Ratio(double value, double of) => of <= 0 ? "n/a" : (value / of).ToString("P0", CultureInfo.InvariantCulture);

    private static string Met(bool met) => met ? "yes" : "**no**";
}
