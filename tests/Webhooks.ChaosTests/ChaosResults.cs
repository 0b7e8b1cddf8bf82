using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Webhooks.ChaosTests;

/// <summary>
/// Writes the figures of the faults run so far to <c>artifacts/chaos/chaos-results.{md,json}</c> at the repository root
/// (or <c>$CHAOS_RESULTS</c>), after each fault: a run that stops half way still leaves what it measured.
/// docs/reliability.md quotes the full run's table.
/// </summary>
public sealed class ChaosResults(ChaosSettings settings)
{
    private readonly List<FaultReport> _reports = [];

    public string Directory { get; } = Environment.GetEnvironmentVariable("CHAOS_RESULTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(RepositoryRoot(), "artifacts", "chaos");

    public void Add(FaultReport report)
    {
        lock (_reports)
        {
            _reports.Add(report);
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(Path.Combine(Directory, "chaos-results.json"),
                JsonSerializer.Serialize(new { form = settings.Form, settings = Describe(settings), faults = _reports }, new JsonSerializerOptions { WriteIndented = true }));
            File.WriteAllText(Path.Combine(Directory, "chaos-results.md"), Markdown());
        }
    }

    private string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Form: **{settings.Form}** — {Describe(settings)}");
        text.AppendLine();
        text.AppendLine("| fault | deliveries | requests | 2xx | 5xx | no answer | retries | gave up | committed, not told | Freight | notifications | repeated (same key) | longest gap (s) | recovery (s) | drained (s) | guarantees |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var r in _reports)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Fault} | {r.Deliveries} | {r.Requests} | {r.Answers2xx} | {r.Answers5xx} | {r.ConnectionFailures} | {r.Retries} | {r.GaveUp} | {r.CommittedButNotAnswered2xx} | {r.Freight} | {r.Notifications} | {r.NotificationRepeats} | {r.LongestGapSeconds:0.0} | {(r.RecoverySeconds is { } recovery ? recovery.ToString("0.0", CultureInfo.InvariantCulture) : "never")} | {r.DrainedSeconds:0.0} | {(r.Failures.Count == 0 ? "all held" : string.Join("; ", r.Failures))} |");
        }

        return text.ToString();
    }

    private static string Describe(ChaosSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Connections} connections, one push per connection every {s.Interval.TotalMilliseconds:0} ms at most, {s.Repositories} repositories; " +
        $"load {s.LoadBeforeFault.TotalSeconds:0} s before the fault and {s.LoadAfterHeal.TotalSeconds:0} s after healing; outages {s.Outage.TotalSeconds:0} s, " +
        $"notification target {s.TargetOutage.TotalSeconds:0} s; resends: {s.Retries.MaxAttempts} attempts, {s.Retries.FirstDelay.TotalSeconds:0} s doubling, {s.Retries.Timeout.TotalSeconds:0} s timeout");

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
