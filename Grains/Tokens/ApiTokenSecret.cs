using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// The format of API tokens: a recognisable prefix (so secret scanners and people can spot them) followed by
/// 256 random bits in base64url. Only the SHA-256 hash is ever stored.
/// </summary>
public static class ApiTokenSecret
{
    public const string Prefix = "whk_";

    /// <summary>How many characters of a token are kept in clear to tell tokens apart.</summary>
    public const int VisiblePrefixLength = 12;

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string VisiblePrefix(string token) => token.Length <= VisiblePrefixLength ? token : token[..VisiblePrefixLength];
}
