using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Persistence;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// On start, rewrites the stored key ring so every key's secret is encrypted with the current key-encryption key:
/// keys written in clear (before the key-encryption key existed) and keys encrypted with a previous one. Data
/// Protection never rewrites a stored key itself. Runs after the migrations and before the key ring is first read;
/// replicas doing it together write equivalent rows.
/// </summary>
public sealed partial class KeyRingReEncryptor(
    IServiceScopeFactory scopeFactory,
    IOptions<KeyRingOptions> options,
    ILogger<KeyRingReEncryptor> logger) : IHostedService
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private static readonly XName RequiresEncryption = DataProtection + "requiresEncryption";
    private static readonly XName EncryptedSecret = DataProtection + "encryptedSecret";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        var current = options.Value.Current;
        var keys = options.Value.All().ToList();
        var rewritten = 0;
        foreach (var row in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            if (row.Xml is null || ReEncrypt(XElement.Parse(row.Xml), current, keys) is not { } encrypted)
            {
                continue;
            }

            row.Xml = encrypted.ToString(SaveOptions.DisableFormatting);
            rewritten++;
        }

        if (rewritten > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogReEncrypted(rewritten, current.Id);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The key element with every secret encrypted under <paramref name="current"/>, or null when it already is.
    /// </summary>
    internal static XElement? ReEncrypt(XElement key, KeyEncryptionKey current, IReadOnlyCollection<KeyEncryptionKey> keys)
    {
        var result = new XElement(key);
        var changed = false;
        // Clear secrets: Data Protection marks them requiresEncryption="true" (and warns in a comment).
        foreach (var secret in result.Descendants().Where(e => (string?)e.Attribute(RequiresEncryption) == "true").ToList())
        {
            secret.ReplaceWith(Wrap(KeyRingXmlEncryptor.Encrypt(secret, current)));
            changed = true;
        }

        foreach (var wrapper in result.Descendants(EncryptedSecret).ToList())
        {
            if (wrapper.Elements().SingleOrDefault() is { } inner
                && inner.Name == KeyRingXmlEncryptor.ElementName
                && (string?)inner.Attribute(KeyRingXmlEncryptor.KeyIdAttribute) != current.Id)
            {
                wrapper.ReplaceWith(Wrap(KeyRingXmlEncryptor.Encrypt(KeyRingXmlEncryptor.Decrypt(inner, keys), current)));
                changed = true;
            }
        }

        return changed ? result : null;
    }

    // As Data Protection itself wraps what an IXmlEncryptor returns.
    private static XElement Wrap(XElement encrypted) =>
        new(EncryptedSecret, new XAttribute("decryptorType", typeof(KeyRingXmlDecryptor).AssemblyQualifiedName!), encrypted);

    [LoggerMessage(Level = LogLevel.Information, Message = "Re-encrypted {Count} Data Protection keys with key-encryption key {KeyId}")]
    private partial void LogReEncrypted(int count, string keyId);
}
