using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Webhooks.Receiver.Ingress;

/// <summary>The verdict on an <c>X-Hub-Signature</c> header.</summary>
public enum SignatureVerdict
{
    Valid,
    Missing,
    Malformed,
    UnsupportedAlgorithm,
    Mismatch,

    /// <summary>The header came more than once: which one Bitbucket sent cannot be told, so none is trusted.</summary>
    Repeated,
}

/// <summary>
/// Bitbucket's <c>X-Hub-Signature: sha256=&lt;hex&gt;</c>: HMAC-SHA256 of the raw body bytes keyed with the secret's
/// UTF-8 bytes. Verified over the bytes as received (never re-serialised) and compared in constant time.
/// </summary>
public static class HubSignature
{
    public const string HeaderName = "X-Hub-Signature";
    private const string Sha256Prefix = "sha256=";
    private const int Sha256HexLength = 64;

    /// <summary>The header value Bitbucket would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Compute(string secret, ReadOnlySpan<byte> body) =>
        Sha256Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Checks the header's values as received: exactly one, matching one of <paramref name="secrets"/>.</summary>
    public static SignatureVerdict Verify(StringValues headerValues, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets) =>
        headerValues.Count > 1 ? SignatureVerdict.Repeated : Verify(headerValues.ToString(), body, secrets);

    /// <summary>Checks <paramref name="header"/> against every candidate secret (current and, during rotation, previous).</summary>
    public static SignatureVerdict Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets) =>
        Verify(header, body, secrets.Select(secret => Encoding.UTF8.GetBytes(secret)).ToList(), out _);

    /// <summary>
    /// Checks the header's values as received against HMAC keys given as bytes (a webhook token's stored hash);
    /// <paramref name="matched"/> is the index of the key that matched, or -1.
    /// </summary>
    public static SignatureVerdict Verify(StringValues headerValues, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> keys, out int matched)
    {
        matched = -1;
        return headerValues.Count > 1 ? SignatureVerdict.Repeated : Verify(headerValues.ToString(), body, keys, out matched);
    }

    private static SignatureVerdict Verify(string? header, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> keys, out int matched)
    {
        matched = -1;
        if (string.IsNullOrEmpty(header))
        {
            return SignatureVerdict.Missing;
        }

        var separator = header.IndexOf('=');
        if (separator <= 0)
        {
            return SignatureVerdict.Malformed;
        }

        if (!header.AsSpan(0, separator + 1).Equals(Sha256Prefix, StringComparison.OrdinalIgnoreCase))
        {
            // sha1=… (GitHub's old form) and anything else: Bitbucket only signs with SHA-256.
            return SignatureVerdict.UnsupportedAlgorithm;
        }

        var hex = header.AsSpan(separator + 1).Trim();
        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (hex.Length != Sha256HexLength || Convert.FromHexString(hex, presented, out _, out var written) != System.Buffers.OperationStatus.Done || written != presented.Length)
        {
            return SignatureVerdict.Malformed;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        for (var i = 0; i < keys.Count; i++)
        {
            HMACSHA256.HashData(keys[i], body, expected);
            // Check every key, so the time taken does not tell which one matched.
            if (CryptographicOperations.FixedTimeEquals(expected, presented) && matched < 0)
            {
                matched = i;
            }
        }

        return matched >= 0 ? SignatureVerdict.Valid : SignatureVerdict.Mismatch;
    }
}
