using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// Glob patterns over short ref names (<c>main</c>, <c>release/1.x</c>, <c>v1.0</c>): <c>*</c> matches within one
/// path segment, <c>**</c> across segments (<c>**/</c> also matches nothing), <c>?</c> one character other than
/// <c>/</c>. Everything else is literal and case-sensitive, as git ref names are.
/// </summary>
public static class RefPattern
{
    public const int MaxLength = 255;

    public const string Rule =
        "A glob over short ref names: '*' matches within one path segment, '**' across segments, '?' one character; " +
        "e.g. 'main', 'release/*', 'v*', '**'. At most 255 characters, no spaces or control characters.";

    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    public static bool IsValid(string? pattern) =>
        !string.IsNullOrWhiteSpace(pattern)
        && pattern.Length <= MaxLength
        && !pattern.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '\\' or '~' or '^' or ':' or '[');

    public static bool Matches(string pattern, string refName) =>
        Compiled.GetOrAdd(pattern, Compile).IsMatch(refName);

    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    // "**/" matches any number of whole leading segments, none included.
                    i++;
                    regex.Append("(?:.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
    }
}
