using Webhooks.Benchmarks.Baselines;
using Webhooks.Benchmarks.Load;
using Webhooks.Benchmarks.Scenarios;

namespace Webhooks.Benchmarks.Reporting;

/// <summary>Everything one run measured, written as <c>benchmarks.json</c> and rendered as <c>benchmarks.md</c>.</summary>
public sealed record BenchmarkReport(
    DateTimeOffset StartedAt,
    string Command,
    string Machine,
    LoadResult Ceiling,
    StorageBaseline? Storage,
    IReadOnlyList<ScenarioResult> Scenarios)
{
    /// <summary>The receiver's memory through the soak (scenario 5), every few seconds; empty when it did not run.</summary>
    public IReadOnlyList<Soak.ProcessSample> SoakSamples { get; init; } = [];

    public bool AccountingPassed => Scenarios.All(s => s.Accounting.Passed);

    public ScenarioResult? Scenario(string name) => Scenarios.FirstOrDefault(s => s.Name == name);
}
