using System.Globalization;

namespace Webhooks.Dashboard.Management;

/// <summary>Times and durations as the management pages show them (UTC, the zone every service logs in).</summary>
public static class DashboardTime
{
    public static string Format(DateTimeOffset? time) =>
        time is { } value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "—";

    /// <summary>The exact instant, for a title attribute.</summary>
    public static string Exact(DateTimeOffset? time) => time?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 1
        ? $"{duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
        : duration.TotalMinutes < 1
            ? $"{duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s"
            : $"{(int)duration.TotalMinutes} min {duration.Seconds} s";

    public static string ShortCommit(string commit) => commit.Length > 10 ? commit[..10] : commit;
}
