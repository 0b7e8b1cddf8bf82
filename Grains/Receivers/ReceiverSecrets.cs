using System.Buffers.Text;
using System.Security.Cryptography;

namespace Webhooks.Grains.Receivers;

/// <summary>Random values a receiver is born with.</summary>
public static class ReceiverSecrets
{
    /// <summary>The unguessable path segment of a receiver's URL: 256 random bits, base64url (43 characters).</summary>
    public static string NewPath() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// A strong webhook secret: 32 random bytes as 43 base64url characters, within Bitbucket Cloud's 128-character
    /// limit and free of characters that confuse copy and paste.
    /// </summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
