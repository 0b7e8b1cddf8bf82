namespace Webhooks.Grains.KeyRing;

/// <summary>
/// <c>Webhooks:DataProtection</c>: the key-encryption key (KEK) that encrypts the Data Protection key ring kept in
/// PostgreSQL. It must never be stored in the database: a backup without it decrypts nothing.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "Webhooks:DataProtection";

    /// <summary>The current key: 32 random bytes, base64 or base64url. New and re-encrypted key-ring elements use it.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>
    /// Keys that were current before a rotation, comma-separated: elements still encrypted with one of them are
    /// decrypted and re-encrypted with <see cref="KeyEncryptionKey"/> on start. Drop them once every service restarted.
    /// </summary>
    public string? PreviousKeyEncryptionKeys { get; set; }

    /// <summary>The current key, parsed (validated on start).</summary>
    internal KeyEncryptionKey Current => KeyRing.KeyEncryptionKey.Parse(KeyEncryptionKey, nameof(KeyEncryptionKey));

    /// <summary>The current key, then the previous ones.</summary>
    internal IEnumerable<KeyEncryptionKey> All()
    {
        yield return Current;
        foreach (var previous in (PreviousKeyEncryptionKeys ?? "").Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return KeyRing.KeyEncryptionKey.Parse(previous, nameof(PreviousKeyEncryptionKeys));
        }
    }
}
