using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// The history's stored form of a body (Brotli) and what people read of it (the body, the jsonb answer).
/// </summary>
public static class DeliveryContent
{
    /// <summary>
    /// Brotli quality of stored bodies. Every accepted delivery is compressed on the ingress path, so speed matters
    /// more than the last bytes: quality 1 takes a third of the time of quality 4 on a push body, for a stored body
    /// about 15 % larger (docs/benchmarks.md, "Ingress costs"). Any quality decompresses the same way.
    /// </summary>
    public const int StoredQuality = 1;

    private const int StoredWindow = 22;

    /// <summary>The stored (compressed) form of <paramref name="body"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> body, int quality = StoredQuality)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(body.Length));
        try
        {
            return BrotliEncoder.TryCompress(body, buffer, out var written, quality, StoredWindow)
                ? buffer.AsSpan(0, written).ToArray()
                : throw new InvalidOperationException("Brotli could not compress the body.");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

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

    /// <summary>
    /// The recorded answer with the dispatch's warehouse count in its <c>warehouses</c> (the history row is written
    /// before the dispatch counts them, and never rewritten), once the count is known.
    /// </summary>
    public static JsonElement? Answer(string? answer, int? warehouses)
    {
        if (Answer(answer) is not { ValueKind: JsonValueKind.Object } recorded || warehouses is not { } count)
        {
            return Answer(answer);
        }

        var patched = System.Text.Json.Nodes.JsonObject.Create(recorded)!;
        patched["warehouses"] = count;
        return JsonSerializer.SerializeToElement(patched);
    }

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
