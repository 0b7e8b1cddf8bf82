using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace Webhooks.Receiver.Ingress;

/// <summary>How reading a request body ended.</summary>
internal enum BodyReadStatus
{
    Complete,

    /// <summary>Larger than the limit; reading stopped at the first byte over it.</summary>
    TooLarge,

    /// <summary>Not complete within the time limit, or arriving slower than Kestrel's minimum data rate (slow loris).</summary>
    TimedOut,

    /// <summary>Broken framing (bad chunk sizes, a body shorter than its Content-Length) or a closed connection.</summary>
    Malformed,
}

/// <summary>A body read whole (the caller disposes it), or why it was not.</summary>
internal readonly record struct BodyRead(BodyReadStatus Status, PooledBody? Body, string? Problem);

/// <summary>Reads a request body whole, but never more than a limit and never for longer than a deadline.</summary>
internal static class RequestBody
{
    /// <summary>
    /// The body's bytes, or why there are none: over <paramref name="limit"/>, not finished within
    /// <paramref name="timeout"/>, or broken. Never throws for what the sender did.
    /// </summary>
    public static async Task<BodyRead> ReadAsync(HttpRequest request, int limit, TimeSpan timeout, CancellationToken requestAborted)
    {
        if (request.ContentLength > limit)
        {
            return new(BodyReadStatus.TooLarge, null, null);
        }

        // Kestrel's server-wide MaxRequestBodySize equals the ingress limit; were it enforced here, a chunked body one
        // byte over it would make Kestrel throw before this reader could answer its own 413 problem. This reader stops
        // at limit + 1 byte, so the server-wide cap is lifted for this one request.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(timeout);
        var reader = request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(deadline.Token);
                var buffer = result.Buffer;
                if (buffer.Length > limit)
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    return new(BodyReadStatus.TooLarge, null, null);
                }

                if (result.IsCompleted)
                {
                    var body = PooledBody.CopyOf(buffer);
                    reader.AdvanceTo(buffer.End);
                    return new(BodyReadStatus.Complete, body, null);
                }

                // Nothing consumed, everything examined: the next read returns the whole body so far plus more.
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's MinRequestBodyDataRate: the body trickles in slower than the server accepts.
            return new(BodyReadStatus.TimedOut, null, "The request body arrived too slowly.");
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(BodyReadStatus.TooLarge, null, null);
        }
        catch (BadHttpRequestException)
        {
            return new(BodyReadStatus.Malformed, null, "The request body is malformed or ended before it was complete.");
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return new(BodyReadStatus.TimedOut, null, $"The request body did not arrive within {timeout.TotalSeconds:0.###} s.");
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The sender went away mid-body: nobody reads this answer, but the history shows the attempt.
            return new(BodyReadStatus.Malformed, null, "The connection closed before the request body was complete.");
        }
    }

    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0)
        {
            mediaType = mediaType[..semicolon];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
