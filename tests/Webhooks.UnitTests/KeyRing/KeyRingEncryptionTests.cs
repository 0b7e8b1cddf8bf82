using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Grains.KeyRing;

namespace Webhooks.UnitTests.KeyRing;

public sealed class KeyRingEncryptionTests
{
    private static readonly XNamespace DataProtection = "http://schemas.asp.net/2015/03/dataProtection";
    private readonly string _old = NewKey();
    private readonly string _new = NewKey();

    [Fact]
    public void AnEncryptedSecretDecryptsWithItsKeyOnlyAndNamesIt()
    {
        var encrypted = Encryptor(_new).Encrypt(Secret()).EncryptedElement;

        Assert.DoesNotContain("c2VjcmV0LW1hc3Rlci1rZXk", encrypted.ToString(), StringComparison.Ordinal);
        Assert.Equal(Key(_new).Id, (string?)encrypted.Attribute("kek"));
        Assert.Equal(Secret().ToString(), Decryptor(_new).Decrypt(encrypted).ToString());
        var wrongKey = Assert.Throws<CryptographicException>(() => Decryptor(_old).Decrypt(encrypted));
        Assert.Contains(Key(_new).Id, wrongKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APreviousKeyStillDecryptsWhatItEncrypted()
    {
        var encrypted = Encryptor(_old).Encrypt(Secret()).EncryptedElement;

        Assert.Equal(Secret().ToString(), Decryptor(_new, _old).Decrypt(encrypted).ToString());
    }

    [Fact]
    public void ATamperedCiphertextOrKeyIdIsRefused()
    {
        var encrypted = Encryptor(_new).Encrypt(Secret()).EncryptedElement;
        var bytes = Convert.FromBase64String(encrypted.Value);
        bytes[^1] ^= 1;
        var tampered = new XElement(encrypted) { Value = Convert.ToBase64String(bytes) };

        Assert.ThrowsAny<CryptographicException>(() => Decryptor(_new).Decrypt(tampered));
    }

    [Fact]
    public void AClearKeyIsEncryptedWithTheCurrentKeyAndAnOldOneReEncryptedAndACurrentOneLeftAlone()
    {
        var clear = KeyElement(Secret());

        var fromClear = KeyRingReEncryptor.ReEncrypt(clear, Key(_old), [Key(_old)])!;
        Assert.DoesNotContain("masterKey", fromClear.ToString(), StringComparison.Ordinal);
        Assert.Contains($"kek=\"{Key(_old).Id}\"", fromClear.ToString(), StringComparison.Ordinal);

        var rotated = KeyRingReEncryptor.ReEncrypt(fromClear, Key(_new), [Key(_new), Key(_old)])!;
        Assert.Contains($"kek=\"{Key(_new).Id}\"", rotated.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key(_old).Id, rotated.ToString(), StringComparison.Ordinal);
        var wrapper = rotated.Descendants(DataProtection + "encryptedSecret").Single();
        Assert.Equal(typeof(KeyRingXmlDecryptor).AssemblyQualifiedName, (string?)wrapper.Attribute("decryptorType"));
        Assert.Equal(Secret().ToString(), Decryptor(_new).Decrypt(wrapper.Elements().Single()).ToString());

        Assert.Null(KeyRingReEncryptor.ReEncrypt(rotated, Key(_new), [Key(_new)]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dG9vLXNob3J0")]
    [InlineData("not base64 at all, and long enough to be a key")]
    public void AMissingOrMalformedKeyIsRefusedWithAMessageThatNamesTheSettingAndNotTheValue(string? value)
    {
        var result = new KeyRingOptionsValidator().Validate(null, new KeyRingOptions { KeyEncryptionKey = value });

        Assert.True(result.Failed);
        Assert.Contains("Webhooks:DataProtection:KeyEncryptionKey", result.FailureMessage, StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(value))
        {
            Assert.DoesNotContain(value, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Base64AndBase64UrlKeysAreAcceptedAndAMalformedPreviousKeyIsNamed()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        Assert.Equal(KeyEncryptionKey.Parse(Convert.ToBase64String(bytes), "k").Id, KeyEncryptionKey.Parse(System.Buffers.Text.Base64Url.EncodeToString(bytes), "k").Id);

        var result = new KeyRingOptionsValidator().Validate(null, new KeyRingOptions { KeyEncryptionKey = _new, PreviousKeyEncryptionKeys = $"{_old}, short" });
        Assert.True(result.Failed);
        Assert.Contains("PreviousKeyEncryptionKeys", result.FailureMessage, StringComparison.Ordinal);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static KeyEncryptionKey Key(string value) => KeyEncryptionKey.Parse(value, "test");

    private static KeyRingXmlEncryptor Encryptor(string key) => new(Options.Create(new KeyRingOptions { KeyEncryptionKey = key }));

    private static KeyRingXmlDecryptor Decryptor(string key, string? previous = null) =>
        new(new ServiceCollection().AddSingleton(Options.Create(new KeyRingOptions { KeyEncryptionKey = key, PreviousKeyEncryptionKeys = previous })).BuildServiceProvider());

    /// <summary>A master key as Data Protection marks it for encryption.</summary>
    private static XElement Secret() =>
        new("masterKey", new XAttribute(DataProtection + "requiresEncryption", "true"), new XElement("value", "c2VjcmV0LW1hc3Rlci1rZXk="));

    private static XElement KeyElement(XElement secret) =>
        new("key", new XAttribute("id", Guid.NewGuid()), new XElement("descriptor", new XElement("descriptor", secret)));
}
