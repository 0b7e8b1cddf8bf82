using System.Text.Json;

namespace Webhooks.Grains.Events.Parsing;

/// <summary>Lenient navigation: a missing property and a property of the wrong JSON type both read as absent.</summary>
internal static class JsonElementExtensions
{
    /// <summary>The object at the end of <paramref name="path"/>, or null when any step is missing or not an object.</summary>
    public static JsonElement? Object(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var found = element.At(path);
        return found is { ValueKind: JsonValueKind.Object } ? found : null;
    }

    public static JsonElement? Array(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var found = element.At(path);
        return found is { ValueKind: JsonValueKind.Array } ? found : null;
    }

    /// <summary>The string at <paramref name="path"/>; null when missing, not a string, or empty.</summary>
    public static string? String(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var found = element.At(path);
        return found is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text ? text : null;
    }

    public static bool Bool(this JsonElement element, params ReadOnlySpan<string> path) =>
        element.At(path) is { ValueKind: JsonValueKind.True };

    /// <summary>An integral number, or a string holding one (some proxies and old servers quote ids).</summary>
    public static long? Int64(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var found = element.At(path);
        return found switch
        {
            { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var value) => value,
            { ValueKind: JsonValueKind.String } text when long.TryParse(text.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
            _ => null,
        };
    }

    /// <summary>Objects of the array at <paramref name="path"/>; anything else in it is skipped.</summary>
    public static IEnumerable<JsonElement> Objects(this JsonElement element, params ReadOnlySpan<string> path)
    {
        if (element.Array(path) is not { } array)
            return [];
        return array.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.Object);
    }

    public static JsonElement? At(this JsonElement element, params ReadOnlySpan<string> path)
    {
        var current = element;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                return null;
        }
        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }
}
