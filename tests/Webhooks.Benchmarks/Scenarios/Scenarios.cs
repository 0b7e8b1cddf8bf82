using System.Globalization;
using Webhooks.Benchmarks.Accounting;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Payloads;
using Webhooks.Benchmarks.Stack;

namespace Webhooks.Benchmarks.Scenarios;

/// <summary>
/// The issue's scenarios against the running stack. Each has a project and repositories of its own (pushes to one never
/// refresh another's warehouses) and ends with the accounting.
/// </summary>
/// <param name="receiverPids">The receiver replicas' service processes, whose CPU time the ingest scenario measures.</param>
/// <param name="postgresPids">PostgreSQL's processes (the postmaster and its backends), measured likewise.</param>
public sealed class Scenarios(
    ManagementClient api, Ledger ledger, BenchmarkOptions options, Func<IReadOnlyList<int>> receiverPids, Func<IReadOnlyList<int>> postgresPids, Action<string> report)
{
    private static readonly TimeSpan DrainPatience = TimeSpan.FromMinutes(2);

    /// <summary>1. Closed loop over N connections; each connection owns every N-th repository, so its pushes are ordered.</summary>
    public async Task<(ScenarioResult Result, ScenarioContext Context)> IngestAsync()
    {
        var context = await ScenarioContext.CreateAsync(api, "ingest", options.Repositories, options.WarehousesPerRepository, report).ConfigureAwait(false);
        var owned = OwnedRepositories(options.Repositories, options.Connections);
        var turns = new int[options.Connections];
        using var generator = new LoadGenerator(options.Connections);
        // Warm-up, not measured: one push per repository activates its grains, opens the connections, JITs the path.
        report("ingest: warm-up, one push per repository");
        await generator.SendAllAsync([.. Enumerable.Range(0, options.Repositories).Select(r => context.Bodies.Push(r, PushBodies.NewHead()))], options.Connections, context.Log).ConfigureAwait(false);
        SignedPush? Next(int connection) =>
            owned[connection].Length == 0 ? null : context.Bodies.Push(owned[connection][turns[connection]++ % owned[connection].Length], PushBodies.NewHead());
        if (options.WarmUp > TimeSpan.Zero)
        {
            report($"ingest: warm-up, closed loop for {options.WarmUp.TotalSeconds:0} s (not measured)");
            await generator.ClosedLoopAsync(Next, options.WarmUp, context.Log).ConfigureAwait(false);
        }

        report($"ingest: closed loop, {options.Connections} connections, {options.Duration.TotalSeconds:0} s");
        var cpu = CpuMeter.Start(receiverPids, postgresPids);
        var load = await generator.ClosedLoopAsync(Next, options.Duration, context.Log).ConfigureAwait(false);
        var (accounting, figures) = await AccountWithCpuAsync(context, load, cpu).ConfigureAwait(false);
        return (new ScenarioResult("ingest", load, figures, accounting), context);
    }

    /// <summary>2. Open loop at a fixed rate; repositories in turn (at these rates one repository is pushed every few seconds).</summary>
    public async Task<ScenarioResult> LatencyAsync(ScenarioContext context, double rate)
    {
        using var generator = new LoadGenerator(options.Connections);
        SignedPush? Next(long i) => context.Bodies.Push((int)(i % context.Bodies.Repositories), PushBodies.NewHead());
        // Warm-up, not measured, as the ingest has: without it the first seconds measured the ingest's aftermath (its
        // accounting's scans of the whole history, the vacuum of what it inserted), every run's slowest window.
        if (options.WarmUp > TimeSpan.Zero)
        {
            report($"latency: warm-up, open loop at {rate:0} /s for {options.WarmUp.TotalSeconds:0} s (not measured)");
            await generator.OpenLoopAsync(Next, rate, options.WarmUp, context.Log).ConfigureAwait(false);
        }

        report($"latency: open loop at {rate:0} /s, {options.Duration.TotalSeconds:0} s");
        // Measured too: a delivery costs more in the open loop (each group commit carries fewer), and that cost is
        // what decides how busy the machine is at half load.
        var cpu = CpuMeter.Start(receiverPids, postgresPids);
        var load = await generator.OpenLoopAsync(Next, rate, options.Duration, context.Log).ConfigureAwait(false);
        var (accounting, figures) = await AccountWithCpuAsync(context, load, cpu).ConfigureAwait(false);
        return new ScenarioResult("latency", load, figures, accounting);
    }

    /// <summary>
    /// The accounting, and the CPU per accepted delivery from the start of the load to the end of the drain: everything a
    /// delivery costs, its refreshes included, and not the accounting's own queries (scans of the run's history, read
    /// after the drain).
    /// </summary>
    private async Task<(AccountingReport Accounting, Dictionary<string, double> Figures)> AccountWithCpuAsync(ScenarioContext context, LoadResult load, CpuMeter cpu)
    {
        (double ReceiverSeconds, double PostgresSeconds) spent = default;
        var accounting = await AccountAsync(context, () => spent = cpu.Elapsed()).ConfigureAwait(false);
        var (receiverSeconds, postgresSeconds) = spent;
        var accepted = Math.Max(1, load.ByStatus.GetValueOrDefault(202));
        var figures = new Dictionary<string, double>
        {
            ["receiverCpuMsPerDelivery"] = receiverSeconds * 1000 / accepted,
            ["postgresCpuMsPerDelivery"] = postgresSeconds * 1000 / accepted,
        };
        report(string.Create(CultureInfo.InvariantCulture,
            $"  CPU per delivery, load and drain: receiver {figures["receiverCpuMsPerDelivery"]:0.00} ms, PostgreSQL {figures["postgresCpuMsPerDelivery"]:0.00} ms"));
        return (accounting, figures);
    }

    /// <summary>3. Many distinct heads to one repository within a second; the last is sent once the others are answered.</summary>
    public async Task<ScenarioResult> BurstAsync()
    {
        var context = await ScenarioContext.CreateAsync(api, "burst", repositories: 1, warehousesPerRepository: 1, report).ConfigureAwait(false);
        using var generator = new LoadGenerator(options.Connections);
        report($"burst: {options.BurstPushes} pushes to one repository within 1 s");
        var load = await generator.OpenLoopAsync(
            i => i < options.BurstPushes - 1 ? context.Bodies.Push(0, PushBodies.NewHead()) : null,
            options.BurstPushes,
            TimeSpan.FromSeconds(1),
            context.Log).ConfigureAwait(false);
        var last = await generator.SendAllAsync([context.Bodies.Push(0, PushBodies.NewHead())], 1, context.Log).ConfigureAwait(false);
        load = Merge(load, last);
        var accounting = await AccountAsync(context).ConfigureAwait(false);
        var refreshes = await ledger.RefreshesAsync(context.Tenant.Project, BenchmarkTenant.WarehouseName(0, 0)).ConfigureAwait(false);
        return new ScenarioResult("burst", load, new Dictionary<string, double> { ["refreshes"] = refreshes }, accounting);
    }

    /// <summary>4. Each delivery sent many times, shuffled, concurrently: one is accepted, the rest are duplicates.</summary>
    public async Task<ScenarioResult> DedupeStormAsync()
    {
        var context = await ScenarioContext.CreateAsync(api, "dedupe", options.DedupeDeliveries, warehousesPerRepository: 1, report).ConfigureAwait(false);
        var originals = Enumerable.Range(0, options.DedupeDeliveries).Select(r => context.Bodies.Push(r, PushBodies.NewHead())).ToList();
        var copies = originals.SelectMany(p => Enumerable.Repeat(p, options.DedupeCopies)).ToArray();
        Random.Shared.Shuffle(copies);
        using var generator = new LoadGenerator(options.Connections);
        report($"dedupe storm: {options.DedupeDeliveries} deliveries × {options.DedupeCopies}");
        var load = await generator.SendAllAsync(copies, options.Connections, context.Log).ConfigureAwait(false);
        var accounting = await AccountAsync(context).ConfigureAwait(false);
        return new ScenarioResult("dedupe", load, new Dictionary<string, double>
        {
            ["accepted"] = load.ByStatus.GetValueOrDefault(202),
            ["duplicates"] = load.ByStatus.GetValueOrDefault(200),
            ["refreshes"] = accounting.Refreshes,
            ["expectedAccepted"] = options.DedupeDeliveries,
            ["expectedDuplicates"] = options.DedupeDeliveries * (options.DedupeCopies - 1),
        }, accounting);
    }

    /// <param name="drainedAt">Called once the refresh engine has drained, before the accounting's queries.</param>
    private async Task<AccountingReport> AccountAsync(ScenarioContext context, Action? drainedAt = null)
    {
        var (drained, drainFailure) = await ledger.DrainAsync(context.Tenant.Project, DrainPatience).ConfigureAwait(false);
        drainedAt?.Invoke();
        var accounting = await ledger.CheckAsync(context.Tenant.Project, context.Log, context.WarehousesOf, drained, drainFailure).ConfigureAwait(false);
        report($"  accounting {Describe(accounting)}");
        return accounting;
    }

    /// <summary>"passed (drained in 1.2 s)", or what failed.</summary>
    public static string Describe(AccountingReport accounting) =>
        accounting.Passed
            ? string.Create(CultureInfo.InvariantCulture, $"passed (drained in {accounting.DrainSeconds:0.0} s)")
            : "FAILED: " + string.Join("; ", accounting.Failures);

    private static int[][] OwnedRepositories(int repositories, int connections) =>
        [.. Enumerable.Range(0, connections).Select(c => Enumerable.Range(0, repositories).Where(r => r % connections == c).ToArray())];

    private static LoadResult Merge(LoadResult a, LoadResult b) => a with
    {
        Sent = a.Sent + b.Sent,
        Answered = a.Answered + b.Answered,
        Errors = a.Errors + b.Errors,
        ByStatus = a.ByStatus.Concat(b.ByStatus).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value)),
    };
}
