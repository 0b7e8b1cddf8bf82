using System.Text.Encodings.Web;
using System.Text.Json;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>A stored body or answer as people read it: indented JSON, or the text itself when it was not JSON.</summary>
public static class PrettyJson
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Razor escapes the HTML; here the text should stay as Bitbucket sent it ("<", "&", non-ASCII names).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Format(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? string.Empty
            : JsonSerializer.Serialize(value, Indented);
}
