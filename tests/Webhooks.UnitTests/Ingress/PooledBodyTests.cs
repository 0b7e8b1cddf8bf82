using System.Buffers;
using Webhooks.Receiver.Ingress;

namespace Webhooks.UnitTests.Ingress;

public sealed class PooledBodyTests
{
    [Fact]
    public void ABodyThatArrivedInSeveralSegmentsIsCopiedWholeAndOnlyItsOwnBytesAreShown()
    {
        var first = new Segment("{\"push\":"u8.ToArray());
        var last = first.Append("{}}"u8.ToArray());
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        using var body = PooledBody.CopyOf(sequence);

        Assert.Equal(11, body.Length);
        Assert.Equal("{\"push\":{}}"u8.ToArray(), body.Memory.ToArray());
        Assert.Equal(body.Length, body.Span.Length);
    }

    [Fact]
    public void ABodyGivenBackCannotBeReadAgainAndIsGivenBackOnce()
    {
        var body = PooledBody.CopyOf(new ReadOnlySequence<byte>("{}"u8.ToArray()));

        body.Dispose();
        body.Dispose();

        Assert.Throws<ObjectDisposedException>(() => body.Memory);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes) => Memory = bytes;

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
