using System.Net.Sockets;
using System.Text;

namespace Webhooks.IntegrationTests.Hostile;

/// <summary>An HTTP answer read off a socket: status, headers (lower-case names), body text.</summary>
public sealed record RawAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The status of an exchange the server ended by closing the connection without answering.</summary>
    public const int NoAnswer = 0;

    public string? ContentType => Headers.TryGetValue("content-type", out var value) ? value : null;
}

/// <summary>
/// HTTP/1.1 over a bare socket, for what <see cref="HttpClient"/> refuses to send: literal dot segments, broken
/// chunking, bytes a header may not hold, bodies trickled a byte at a time. Requests say <c>Connection: close</c>, so
/// the answer ends where the stream does.
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Connects to <paramref name="server"/>, lets <paramref name="write"/> send whatever it likes (it may still be
    /// writing when the server answers and hangs up; that ends it), and reads the answer until the server closes.
    /// </summary>
    public static async Task<RawAnswer> SendAsync(Uri server, Func<Stream, CancellationToken, Task> write, TimeSpan deadline)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(deadline);
        await client.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = client.GetStream();
        using var writing = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var writer = WriteAsync(stream, write, writing.Token);

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // A reset after the answer was sent: what arrived is the answer.
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"No complete answer within {deadline.TotalSeconds:0} s (held {received.Length} bytes).");
        }

        await writing.CancelAsync();
        await writer;
        return Parse(received.ToArray());
    }

    /// <summary>A request head; <paramref name="headers"/> are written as given, CR LF appended to each.</summary>
    public static byte[] Head(string method, string target, params string[] headers)
    {
        var text = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            text.Append(header).Append("\r\n");
        }

        return Encoding.Latin1.GetBytes(text.Append("\r\n").ToString());
    }

    private static async Task WriteAsync(Stream stream, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        try
        {
            await write(stream, cancellationToken);
            await stream.FlushAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The server answered and closed while we were still sending: expected for everything it cuts off.
        }
    }

    private static RawAnswer Parse(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return new RawAnswer(RawAnswer.NoAnswer, new Dictionary<string, string>(), "");
        }

        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidOperationException($"The server closed without a complete answer ({bytes.Length} bytes).");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .GroupBy(parts => parts[0].Trim().ToLowerInvariant())
            .ToDictionary(group => group.Key, group => string.Join(", ", group.Select(parts => parts[1].Trim())));
        var body = bytes.AsSpan(Encoding.Latin1.GetByteCount(text[..(end + 4)]));
        var content = headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? Dechunk(body)
            : body.ToArray();
        return new RawAnswer(status, headers, Encoding.UTF8.GetString(content));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> body)
    {
        var output = new MemoryStream();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return output.ToArray();
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(body[..lineEnd]).Split(';')[0].Trim(), 16);
            if (size == 0 || body.Length < lineEnd + 2 + size)
            {
                return output.ToArray();
            }

            output.Write(body.Slice(lineEnd + 2, size));
            body = body[(lineEnd + 2 + size + 2)..];
        }
    }
}
