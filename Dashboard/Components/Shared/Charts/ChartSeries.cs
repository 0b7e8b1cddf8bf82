namespace Webhooks.Dashboard.Components.Shared.Charts;

/// <summary>One stacked series of a bar chart: its key in the data, its legend label, and its colour (any CSS colour).</summary>
public sealed record ChartSeries(string Key, string Label, string Color);
