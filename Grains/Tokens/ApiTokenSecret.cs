using System.Security.Cryptography;
using System.Text;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// The format of API tokens: a recognisable prefix (so secret scanners and people can spot them) followed by
/// 256 random bits in lower-case hex. Only the SHA-256 hash is ever stored.
/// </summary>
/// <remarks>
/// The hex form makes a token 68 bytes long, longer than HMAC-SHA256's 64-byte block; HMAC first replaces such a key
/// by its SHA-256 hash (RFC 2104 §2), so a signature keyed with the token (Bitbucket's <c>X-Hub-Signature</c> when
/// the token is the webhook secret) can be verified with the stored hash alone. See <see cref="SigningKey"/>.
/// </remarks>
public static class ApiTokenSecret
{
    public const string Prefix = "whk_";

    /// <summary>How many characters of a token are kept in clear to tell tokens apart.</summary>
    public const int VisiblePrefixLength = 12;

    /// <summary>HMAC-SHA256's block size: longer keys are hashed before use.</summary>
    private const int HmacBlockSize = 64;

    public static string Generate() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static string VisiblePrefix(string token) => token.Length <= VisiblePrefixLength ? token : token[..VisiblePrefixLength];

    /// <summary>Whether HMAC keyed with <paramref name="token"/> equals HMAC keyed with its stored hash.</summary>
    public static bool SignsWithHash(string token) => Encoding.UTF8.GetByteCount(token) > HmacBlockSize;

    /// <summary>
    /// The HMAC-SHA256 key equivalent to a generated token, from its stored <paramref name="hash"/>: true because
    /// every generated token is longer than the HMAC block (<see cref="SignsWithHash"/>).
    /// </summary>
    public static byte[] SigningKey(byte[] hash) => hash;
}
