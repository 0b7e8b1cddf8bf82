using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Webhooks.Grains.KeyRing;

/// <summary>
/// Decrypts what <see cref="KeyRingXmlEncryptor"/> wrote, with the current key-encryption key or a previous one.
/// Data Protection creates it by the type name stored in the key ring, passing its service provider.
/// </summary>
public sealed class KeyRingXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var options = services.GetService<IOptions<KeyRingOptions>>()?.Value
            ?? throw new InvalidOperationException(KeyEncryptionKey.MissingMessage);
        return KeyRingXmlEncryptor.Decrypt(encryptedElement, options.All());
    }
}
