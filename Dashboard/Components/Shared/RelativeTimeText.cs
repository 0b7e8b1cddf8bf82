using System.Globalization;

namespace Webhooks.Dashboard.Components.Shared;

/// <summary>How long ago something happened, the way people say it: "just now", "42 s ago", "3 min ago", "2 h ago".</summary>
public static class RelativeTimeText
{
    public static string Format(DateTimeOffset value, DateTimeOffset now)
    {
        var elapsed = now - value;
        if (elapsed < TimeSpan.Zero)
        {
            // Clocks of two machines disagree by a little; a row "from the future" is as good as now.
            return elapsed > TimeSpan.FromSeconds(-5) ? "just now" : $"in {Span(-elapsed)}";
        }

        return elapsed < TimeSpan.FromSeconds(5) ? "just now" : $"{Span(elapsed)} ago";
    }

    /// <summary>A duration in its largest sensible unit: "42 s", "3 min", "2 h", "5 d".</summary>
    public static string Span(TimeSpan span) => span switch
    {
        _ when span < TimeSpan.FromMinutes(1) => $"{(int)span.TotalSeconds} s",
        _ when span < TimeSpan.FromHours(1) => $"{(int)span.TotalMinutes} min",
        _ when span < TimeSpan.FromDays(2) => $"{(int)span.TotalHours} h",
        _ => $"{(int)span.TotalDays} d",
    };

    /// <summary>A duration in milliseconds as it is read in a table: "0.8 ms", "12 ms", "1.4 s".</summary>
    public static string Milliseconds(double milliseconds) => milliseconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0.0} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{milliseconds / 1000:0.0} s"),
    };
}
