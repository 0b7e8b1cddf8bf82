using System.Buffers;

namespace Webhooks.Receiver.Ingress;

/// <summary>
/// A request body in an array rented from <see cref="ArrayPool{T}.Shared"/>: the request's largest allocation (a
/// seventh of the receiver's bytes per delivery) is reused instead of left to the GC. Read only while the request is
/// handled (signature, parse, compression, hash; none keeps it), and returned when it is disposed.
/// </summary>
internal sealed class PooledBody : IDisposable
{
    private byte[]? _array;

    private PooledBody(byte[] array, int length)
    {
        _array = array;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => new(_array ?? throw new ObjectDisposedException(nameof(PooledBody)), 0, Length);

    public ReadOnlySpan<byte> Span => Memory.Span;

    /// <summary>A copy of <paramref name="source"/> in a rented array.</summary>
    public static PooledBody CopyOf(in ReadOnlySequence<byte> source)
    {
        var length = checked((int)source.Length);
        var array = ArrayPool<byte>.Shared.Rent(length);
        source.CopyTo(array);
        return new PooledBody(array, length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
