using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// Encrypts a Data Protection key's secret part with the key-encryption key (AES-256-GCM). The result names the key
/// it was encrypted with: <c>&lt;encryptedKey kek="…" algorithm="AES-256-GCM"&gt;base64(nonce | tag | ciphertext)&lt;/encryptedKey&gt;</c>;
/// the id is also the authenticated data, so a ciphertext cannot be passed off as another key's.
/// </summary>
public sealed class KeyRingXmlEncryptor(IOptions<KeyRingOptions> options) : IXmlEncryptor
{
    internal static readonly XName ElementName = XName.Get("encryptedKey", "urn:webhooks:data-protection");
    internal const string KeyIdAttribute = "kek";
    internal const string Algorithm = "AES-256-GCM";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        return new EncryptedXmlInfo(Encrypt(plaintextElement, options.Value.Current), typeof(KeyRingXmlDecryptor));
    }

    internal static XElement Encrypt(XElement plaintextElement, KeyEncryptionKey key)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[NonceSize + TagSize + plaintext.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key.Bytes, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), Encoding.ASCII.GetBytes(key.Id));
        }

        CryptographicOperations.ZeroMemory(plaintext);
        return new XElement(ElementName,
            new XAttribute(KeyIdAttribute, key.Id),
            new XAttribute("algorithm", Algorithm),
            Convert.ToBase64String(sealedBytes));
    }

    internal static XElement Decrypt(XElement encryptedElement, IEnumerable<KeyEncryptionKey> keys)
    {
        if (encryptedElement.Name != ElementName || (string?)encryptedElement.Attribute("algorithm") != Algorithm)
        {
            throw new CryptographicException($"Not a key-ring element this service encrypted ({encryptedElement.Name}).");
        }

        var id = (string?)encryptedElement.Attribute(KeyIdAttribute);
        var key = keys.FirstOrDefault(k => k.Id == id) ?? throw new CryptographicException(
            $"This key-ring element was encrypted with key-encryption key {id}, which is neither " +
            $"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.KeyEncryptionKey)} nor one of " +
            $"{nameof(KeyRingOptions.PreviousKeyEncryptionKeys)}.");
        var sealedBytes = Convert.FromBase64String(encryptedElement.Value);
        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The key-ring element is truncated.");
        }

        var plaintext = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using (var aes = new AesGcm(key.Bytes, TagSize))
            {
                aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plaintext, Encoding.ASCII.GetBytes(key.Id));
            }

            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
