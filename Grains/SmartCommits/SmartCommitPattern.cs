using System.Text.RegularExpressions;

namespace Webhooks.Grains.SmartCommits;

/// <summary>Issue-key patterns: the default (Jira keys) and the checks a project's own pattern must pass.</summary>
public static class SmartCommitPattern
{
    /// <summary>
    /// Jira's key format (upper-case project key of 2+ characters, hyphen, number without leading zero), not inside a
    /// longer word, not a CVE id (<c>CVE-2024-1234</c>): the key may not be followed by <c>-digit</c>.
    /// </summary>
    public const string Default = @"(?<![A-Za-z0-9_\-])([A-Z][A-Z0-9_]+-[1-9][0-9]*)(?![A-Za-z0-9_]|-[0-9])";

    public const int MaxLength = 500;

    public const int MaxPatterns = 10;

    /// <summary>How long one pattern may take on one line of a commit message.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    // Long runs of what commit messages are made of: a pattern that backtracks catastrophically on one of them
    // ((a+)+$, (\w|\d)*x, …) times out here, when it is saved, rather than on every push.
    private static readonly string[] Probes = new[] { "a", "A", "1", "-", "_", " ", "A-1", "AB-12 ", "[AB-1]", "a1", "Aa-", "#x ", "/", "\t" }
        .SelectMany(unit => new[] { string.Concat(Enumerable.Repeat(unit, 3000 / unit.Length)) + "!", string.Concat(Enumerable.Repeat(unit, 40)) + "!\n" })
        .ToArray();

    /// <summary>Why <paramref name="pattern"/> cannot be used, or null when it can.</summary>
    public static string? Validate(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "The pattern is empty.";
        }

        if (pattern.Length > MaxLength)
        {
            return $"The pattern is longer than {MaxLength} characters.";
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.None, MatchTimeout);
        }
        catch (ArgumentException exception)
        {
            return $"The pattern does not compile: {exception.Message}";
        }

        var captures = regex.GetGroupNumbers().Length - 1;
        if (captures != 1)
        {
            return $"The pattern must have exactly one capture group, for the issue key; it has {captures}. Use (?:…) for other groups.";
        }

        foreach (var probe in Probes)
        {
            try
            {
                regex.Match(probe);
            }
            catch (RegexMatchTimeoutException)
            {
                return $"The pattern takes longer than {MatchTimeout.TotalMilliseconds:0} ms on a {probe.Length}-character line (catastrophic backtracking); simplify nested quantifiers.";
            }
        }

        return null;
    }

    /// <summary>The compiled patterns of a project (the default when it has none); assumes they were validated.</summary>
    public static IReadOnlyList<Regex> Compile(IReadOnlyList<string>? patterns) =>
        (patterns is { Count: > 0 } ? patterns : [Default])
            .Select(pattern => new Regex(pattern, RegexOptions.None, MatchTimeout))
            .ToList();
}
