using System.Buffers.Binary;
using System.Buffers.Text;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// The opaque <c>before</c> cursor of the delivery history: the (receivedAt, id) of the last row of a page, so the next
/// page starts strictly after it however many rows share a timestamp or arrive meanwhile.
/// </summary>
public readonly record struct DeliveryCursor(DateTimeOffset ReceivedAt, Guid Id)
{
    private const int Length = sizeof(long) + 16;

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        BinaryPrimitives.WriteInt64BigEndian(bytes, ReceivedAt.UtcTicks);
        Id.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    public static bool TryParse(string? text, out DeliveryCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        // TryDecodeFromChars throws, rather than answering false, for characters outside the alphabet.
        Span<byte> bytes = stackalloc byte[48];
        if (!Base64Url.IsValid(text) || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != Length)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new DeliveryCursor(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[sizeof(long)..Length], bigEndian: true));
        return true;
    }
}
