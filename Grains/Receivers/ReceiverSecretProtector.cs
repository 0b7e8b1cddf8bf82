using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// Encrypts receiver secrets at rest with ASP.NET Core Data Protection (keys kept in PostgreSQL and shared by every
/// replica and the dashboard). HMAC verification needs the plain secret, so a hash would not do.
/// </summary>
public sealed class ReceiverSecretProtector(IDataProtectionProvider provider) : IDisposable
{
    private readonly IDataProtector _protector = provider.CreateProtector("Webhooks.Receivers.Secret.v1");

    // Decrypting is an AES and an HMAC over the payload plus a key-ring lookup: measurable on every delivery. The
    // signing key is kept in this process only (never in Redis), keyed by its encrypted form, so a rotated secret is
    // a new entry and the old one simply ages out.
    private readonly MemoryCache _signingKeys = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    private static readonly MemoryCacheEntryOptions SigningKeyEntry = new()
    {
        Size = 1,
        SlidingExpiration = TimeSpan.FromMinutes(10),
    };

    public string? Protect(string? secret) => string.IsNullOrEmpty(secret) ? null : _protector.Protect(secret);

    public string? Unprotect(string? protectedSecret) =>
        string.IsNullOrEmpty(protectedSecret) ? null : _protector.Unprotect(protectedSecret);

    /// <summary>The HMAC key of a stored secret (its UTF-8 bytes), decrypted once and then kept in memory.</summary>
    public byte[]? SigningKey(string? protectedSecret)
    {
        if (string.IsNullOrEmpty(protectedSecret))
        {
            return null;
        }

        if (_signingKeys.TryGetValue(protectedSecret, out byte[]? key) && key is not null)
        {
            return key;
        }

        key = Encoding.UTF8.GetBytes(_protector.Unprotect(protectedSecret));
        _signingKeys.Set(protectedSecret, key, SigningKeyEntry);
        return key;
    }

    public void Dispose() => _signingKeys.Dispose();
}
