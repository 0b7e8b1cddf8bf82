using System.Text.RegularExpressions;

namespace Webhooks.Grains.Projects;

/// <summary>
/// Names of projects and receivers. They are route segments, so they stay URL-safe without escaping:
/// lower-case letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 100 characters.
/// </summary>
public static partial class ResourceName
{
    public const int MaxLength = 100;

    public const string Rule = "Use 1 to 100 characters: lower-case letters, digits, '-', '_' or '.' (not only dots).";

    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= MaxLength
        && Allowed().IsMatch(name)
        // "." and ".." would be collapsed by URL normalisation before they reach the route.
        && name.Trim('.').Length > 0;

    [GeneratedRegex("^[a-z0-9._-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
