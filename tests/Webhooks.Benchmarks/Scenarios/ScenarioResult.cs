using Webhooks.Benchmarks.Accounting;
using Webhooks.Benchmarks.Load;

namespace Webhooks.Benchmarks.Scenarios;

/// <summary>One scenario's figures: its load run, what it counted, and the accounting afterwards.</summary>
public sealed record ScenarioResult(string Name, LoadResult Load, IReadOnlyDictionary<string, double> Figures, AccountingReport Accounting);
