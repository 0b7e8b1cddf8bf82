using System.Net.Sockets;
using System.Text;
using Webhooks.Grains.Deliveries;

namespace Webhooks.IntegrationTests.Hostile;

public static partial class HostileCorpus
{
    private static IEnumerable<HostileCase> Transport()
    {
        // Broken framing: Kestrel refuses what it cannot frame; what it frames but cannot finish, ingress records.
        yield return ByKestrel("a negative Content-Length", 400, t => t.SendRawAsync(t.RawHead(t.Url, Push, "Content-Length: -1"), Push));
        yield return ByKestrel("two different Content-Length headers", 400,
            t => t.SendRawAsync(t.RawHead(t.Url, Push, $"Content-Length: {Push.Length}", "Content-Length: 10"), Push));
        yield return ByKestrel("a transfer coding that does not end in chunked", 400,
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "Transfer-Encoding: gzip"), Push));
        yield return RefusedRaw("a chunk size that is not hex", 400, "malformed",
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "Transfer-Encoding: chunked"), "zz\r\n{}\r\n0\r\n\r\n"u8.ToArray()));
        // The sender hangs up mid-body: Kestrel drops the connection, so nobody reads an answer; the history keeps the attempt.
        yield return new HostileCase("a chunked body whose sender hangs up before the last chunk", RawAnswer.NoAnswer, [DeliveryOutcome.Rejected], null,
            t => RawHttp.SendAsync(t.Server.Address, async (stream, cancellationToken) =>
            {
                await stream.WriteAsync(t.RawHead(t.Url, Push, "Transfer-Encoding: chunked"), cancellationToken);
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{256:x}\r\n"), cancellationToken);
                await stream.WriteAsync(Push.AsMemory(0, 256), cancellationToken);
                await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                ((NetworkStream)stream).Socket.Shutdown(SocketShutdown.Send);
            }, TimeSpan.FromSeconds(60))) { IsProblem = false, RecordedStatus = 400 };
        yield return AcceptedRaw("Content-Length and chunked together (chunked wins)",
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "Content-Length: 10", "Transfer-Encoding: chunked"), Chunked(Push)));

        // Slow loris: whatever the pace, the request ends within the body-read limit (408, recorded) or Kestrel's
        // header timeout (408 from Kestrel) and never holds a request open.
        yield return RefusedRaw("a body shorter than its Content-Length, then silence", 408, "did not arrive within",
            t => t.SendRawAsync(t.RawHead(t.Url, Push, $"Content-Length: {Push.Length + 100}"), Push));
        yield return RefusedRaw("a head announcing a body that never starts", 408, "did not arrive within",
            t => t.SendRawAsync(t.RawHead(t.Url, Push, "Content-Length: 100")));
        yield return RefusedRaw("a body trickled a byte every 100 ms", 408, "did not arrive within",
            t => RawHttp.SendAsync(t.Server.Address, async (stream, cancellationToken) =>
            {
                await stream.WriteAsync(t.RawHead(t.Url, Push, $"Content-Length: {Push.Length}"), cancellationToken);
                foreach (var b in Push)
                {
                    await stream.WriteAsync(new[] { b }, cancellationToken);
                    await Task.Delay(100, cancellationToken);
                }
            }, TimeSpan.FromSeconds(60)));
        yield return ByKestrel("headers trickled a byte every 100 ms", 408,
            t => RawHttp.SendAsync(t.Server.Address, async (stream, cancellationToken) =>
            {
                foreach (var b in t.RawHead(t.Url, Push, $"Content-Length: {Push.Length}"))
                {
                    await stream.WriteAsync(new[] { b }, cancellationToken);
                    await Task.Delay(100, cancellationToken);
                }
            }, TimeSpan.FromSeconds(60)));
        yield return ByKestrel("a request line that never ends", 408,
            t => t.SendRawAsync("POST /webhooks/bitbucket/"u8.ToArray()));
    }

    /// <summary>The body framed as chunks of up to 4 KB.</summary>
    private static byte[] Chunked(byte[] body)
    {
        var framed = new MemoryStream();
        foreach (var chunk in body.Chunk(4096))
        {
            framed.Write(Encoding.ASCII.GetBytes($"{chunk.Length:x}\r\n"));
            framed.Write(chunk);
            framed.Write("\r\n"u8);
        }

        framed.Write("0\r\n\r\n"u8);
        return framed.ToArray();
    }
}
