using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Webhooks.Grains.Deliveries;

/// <summary>Turns what the history stores (Brotli-compressed body, jsonb answer) into what people read.</summary>
public static class DeliveryContent
{
    /// <summary>The raw body bytes, or null when none was kept or the stored bytes are not Brotli.</summary>
    public static byte[]? Decompress(byte[]? compressedBody)
    {
        if (compressedBody is null)
        {
            return null;
        }

        try
        {
            using var input = new MemoryStream(compressedBody, writable: false);
            using var brotli = new BrotliStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            brotli.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            return null;
        }
    }

    /// <summary>The body as JSON when it is JSON, else as a JSON string of its text; null when none was kept or it is unreadable.</summary>
    public static JsonElement? Body(byte[]? compressedBody) =>
        Decompress(compressedBody) is { } raw ? JsonOrText(raw) : null;

    /// <summary>The stored answer (jsonb) as JSON.</summary>
    public static JsonElement? Answer(string? answer) =>
        answer is null ? null : JsonOrText(Encoding.UTF8.GetBytes(answer));

    private static JsonElement JsonOrText(byte[] raw)
    {
        try
        {
            using var document = JsonDocument.Parse(raw);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(raw));
        }
    }
}
