using System.Buffers.Text;
using System.Security.Cryptography;

namespace Webhooks.AppHost.Hosting.Secrets;

/// <summary>The admin token the stack bootstraps with: <c>whk_</c> + 256 random bits, base64url; kept in the data directory.</summary>
public static class AdminToken
{
    public const string Prefix = "whk_";
    public const string FileName = "admin-token";

    public static string Generate() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>The token in <c>&lt;dataDirectory&gt;/admin-token</c>, generated and saved (mode 600) on first use.</summary>
    public static string LoadOrCreate(string dataDirectory) => SecretFile.LoadOrCreate(Path.Combine(dataDirectory, FileName), Generate);
}
