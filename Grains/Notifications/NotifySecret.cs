using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Grains.Notifications;

/// <summary>
/// A warehouse's notify secret. Standard Webhooks' form is <c>whsec_</c> and the base64 of 24 to 64 random bytes, and
/// those bytes are the HMAC key. Any other string is a plain secret (every secret stored before Standard Webhooks, or
/// one an operator chose): its UTF-8 bytes are the key, so a receiver that verifies with the same bytes keeps working.
/// </summary>
public static class NotifySecret
{
    public const string Prefix = "whsec_";

    public const int MinimumKeyBytes = 24;

    public const int MaximumKeyBytes = 64;

    /// <summary>The least length of a plain secret: anything shorter is guessable offline from one signed notification.</summary>
    public const int MinimumPlainLength = 16;

    public const int MaximumLength = 256;

    public static readonly string Rule =
        $"Give '{Prefix}' and the base64 of {MinimumKeyBytes} to {MaximumKeyBytes} random bytes (or a plain secret of {MinimumPlainLength} characters or more, up to {MaximumLength}), or leave it out to have one generated.";

    /// <summary>A new secret: <c>whsec_</c> and 32 random bytes in base64.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>True for a <c>whsec_</c> secret whose key decodes to 24–64 bytes, and for a plain secret of 16–256 characters.</summary>
    public static bool IsValid(string? secret) =>
        secret is { Length: <= MaximumLength }
        && (secret.StartsWith(Prefix, StringComparison.Ordinal) ? TryDecode(secret, out _) : secret.Length >= MinimumPlainLength);

    /// <summary>The HMAC key: the decoded bytes of a <c>whsec_</c> secret, the UTF-8 bytes of a plain one.</summary>
    public static byte[] SigningKey(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(secret);
        }

        return TryDecode(secret, out var key)
            ? key
            : throw new FormatException($"A '{Prefix}' secret must be the base64 of {MinimumKeyBytes} to {MaximumKeyBytes} bytes.");
    }

    private static bool TryDecode(string secret, out byte[] key)
    {
        var encoded = secret.AsSpan(Prefix.Length);
        key = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (!Convert.TryFromBase64Chars(encoded, key, out var written) || written is < MinimumKeyBytes or > MaximumKeyBytes)
        {
            key = [];
            return false;
        }

        key = key[..written];
        return true;
    }
}
