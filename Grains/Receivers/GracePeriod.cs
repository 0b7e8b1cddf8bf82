using System.Globalization;
using System.Xml;

namespace Webhooks.Grains.Receivers;

/// <summary>How long a rotated-out secret keeps verifying: an ISO 8601 duration (<c>PT1H</c>) or a TimeSpan (<c>01:00:00</c>).</summary>
public static class GracePeriod
{
    public static readonly TimeSpan Default = TimeSpan.FromHours(24);

    public static readonly TimeSpan Maximum = TimeSpan.FromDays(30);

    public const string Rule = "Give an ISO 8601 duration such as 'PT1H' or a time span such as '01:00:00', from 0 to 30 days.";

    public static bool TryParse(string? text, out TimeSpan gracePeriod)
    {
        gracePeriod = Default;
        if (text is null)
        {
            return true;
        }

        text = text.Trim();
        if (!TryParseDuration(text, out gracePeriod) && !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out gracePeriod))
        {
            return false;
        }

        return gracePeriod >= TimeSpan.Zero && gracePeriod <= Maximum;
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (!text.StartsWith('P') && !text.StartsWith("-P", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
