using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Webhooks.ServiceDefaults.Redaction;

/// <summary>
/// Removes credentials from free text (log messages, their values and scopes, span names and attributes), whoever
/// wrote it — our code, ASP.NET Core's request and routing lines, HttpClient's: <c>token</c> query values (the ARM
/// endpoints' <c>?token=</c>), <c>Authorization</c> header values, receiver paths (<c>/webhooks/bitbucket/&lt;path&gt;</c>,
/// half a credential) and anything shaped like an API token (<c>whk_…</c>). Route templates
/// (<c>/webhooks/bitbucket/{receiverPath}</c>) are kept.
/// </summary>
public static partial class CredentialRedactor
{
    public const string Redacted = "[redacted]";

    /// <summary>The text with every credential replaced by <see cref="Redacted"/>; the same instance when there is none.</summary>
    public static string Redact(string text) =>
        text.Length == 0 ? text : Credential().Replace(text, static match => match.Groups["keep"].Value + Redacted);

    /// <summary>Whether <paramref name="text"/> holds a credential, and the text without it.</summary>
    public static bool TryRedact(string? text, [NotNullWhen(true)] out string? redacted)
    {
        redacted = null;
        if (string.IsNullOrEmpty(text) || !Credential().IsMatch(text))
        {
            return false;
        }

        redacted = Redact(text);
        return true;
    }

    // keep: what tells the reader what was there; secret: the value itself (up to the next delimiter of a URL, a
    // header list or a quoted value). "[redacted]" matches again and is replaced by itself.
    [GeneratedRegex("""(?<keep>[?&;](?:access_)?token=|/webhooks/bitbucket/(?!\{)|\b(?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token)\s+)?|\bwhk_)(?<secret>[^&#\s"'<>,;/?]+)""",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Credential();
}
