using System.Buffers.Text;
using System.Security.Cryptography;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// A 256-bit AES key and its id: the first 8 bytes of its SHA-256 in hex, stored next to what it encrypted so the
/// right key is picked after a rotation. The id tells keys apart; it reveals nothing about the key.
/// </summary>
internal sealed class KeyEncryptionKey
{
    public const int Size = 32;

    private KeyEncryptionKey(byte[] bytes)
    {
        Bytes = bytes;
        Id = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));
    }

    public byte[] Bytes { get; }

    public string Id { get; }

    /// <summary>Parses base64 or base64url; the message names the setting, never the value.</summary>
    public static KeyEncryptionKey Parse(string? value, string setting)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new FormatException(MissingMessage);
        }

        var text = value.Trim().TrimEnd('=').Replace('+', '-').Replace('/', '_');
        if (!Base64Url.IsValid(text, out var length) || length != Size)
        {
            throw new FormatException($"{KeyRingOptions.SectionName}:{setting} must be {Size} random bytes in base64 (e.g. `openssl rand -base64 32`).");
        }

        return new KeyEncryptionKey(Base64Url.DecodeFromChars(text));
    }

    /// <summary>A new random key as the AppHost and the docs generate it.</summary>
    public static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(Size));

    public const string MissingMessage =
        "Webhooks:DataProtection:KeyEncryptionKey is not set. It encrypts the Data Protection key ring that PostgreSQL " +
        "keeps (and with it every receiver secret, notify secret and git credential) and must be kept outside the " +
        "database: set it (environment variable Webhooks__DataProtection__KeyEncryptionKey) to 32 random bytes in " +
        "base64, e.g. `openssl rand -base64 32`, the same value on every receiver and dashboard. The AppHost generates " +
        "one in its data directory (key-encryption-key).";
}
