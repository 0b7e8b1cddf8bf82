namespace Webhooks.Dashboard.Components.Shared.Charts;

/// <summary>A count of one series at one moment, as a database groups them (e.g. per minute and outcome).</summary>
public readonly record struct ChartPoint(DateTimeOffset At, string Series, long Count);
