using System.Globalization;
using System.Text.Json;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>
/// Dates as Bitbucket writes them: Cloud ISO 8601 (<c>+00:00</c>, fractional seconds), Data Center ISO with an
/// offset lacking its colon (<c>+1000</c>, which System.Text.Json refuses), DC 10 <c>…000Z</c>, and DC 9 epoch
/// milliseconds as a JSON number.
/// </summary>
internal static class BitbucketTimestamp
{
    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    public static DateTimeOffset? Read(JsonElement element, params ReadOnlySpan<string> path) =>
        element.At(path) is { } value ? Read(value) : null;

    public static DateTimeOffset? Read(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var milliseconds) => FromEpochMilliseconds(milliseconds),
        JsonValueKind.String => Parse(value.GetString()),
        _ => null,
    };

    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        text = text.Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
            return FromEpochMilliseconds(milliseconds);

        // "+1000" has no colon: insert one so the strict formats below read it.
        if (text.Length > 5 && text[^5] is '+' or '-' && text[^4..].All(char.IsAsciiDigit) && text.Contains('T'))
            text = string.Concat(text.AsSpan(0, text.Length - 2), ":", text.AsSpan(text.Length - 2));

        const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        if (DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture, styles, out var exact))
            return exact;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var loose) ? loose : null;
    }

    private static DateTimeOffset? FromEpochMilliseconds(long milliseconds) =>
        milliseconds is >= 0 and <= 253_402_300_799_999 ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : null;
}
