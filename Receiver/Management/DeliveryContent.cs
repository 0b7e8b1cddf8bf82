using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Webhooks.Receiver.Ingress;

namespace Webhooks.Receiver.Management;

/// <summary>Turns what the history stores (compressed body, answer, headers) into what the detail answer shows.</summary>
internal static class DeliveryContent
{
    /// <summary>The Brotli-compressed body as JSON when it is JSON, else as text; null when none was kept or it is unreadable.</summary>
    public static async Task<JsonElement?> BodyAsync(byte[]? compressedBody, CancellationToken cancellationToken)
    {
        if (compressedBody is null)
        {
            return null;
        }

        byte[] raw;
        try
        {
            using var input = new MemoryStream(compressedBody, writable: false);
            await using var brotli = new BrotliStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            await brotli.CopyToAsync(output, cancellationToken);
            raw = output.ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or IOException)
        {
            return null;
        }

        return JsonOrText(raw);
    }

    /// <summary>The stored answer (jsonb) as JSON.</summary>
    public static JsonElement? Answer(string? answer) =>
        answer is null ? null : JsonOrText(Encoding.UTF8.GetBytes(answer));

    /// <summary>
    /// Ingress redacts credentials when it records a row; the same rule is applied again here so that a credential
    /// never reaches an answer even from a row written some other way.
    /// </summary>
    public static Dictionary<string, string> Headers(Dictionary<string, string> headers) =>
        headers.ToDictionary(
            pair => pair.Key,
            pair => RecordedHeaders.IsCredential(pair.Key) ? RecordedHeaders.RedactedValue : pair.Value);

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
