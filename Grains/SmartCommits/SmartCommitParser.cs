using System.Globalization;
using System.Text.RegularExpressions;

namespace Webhooks.Grains.SmartCommits;

/// <summary>
/// Finds issue keys in a commit message and the smart-commit commands after them (Jira's syntax:
/// <c>KEY … #command arguments</c>). A command belongs to every key before it on its line and cannot span lines;
/// its arguments run to the next command or the end of the line.
/// </summary>
public static partial class SmartCommitParser
{
    public const int MaxKeyLength = 100;

    public static IReadOnlyList<IssueMention> Parse(string? message, IReadOnlyList<Regex> patterns) =>
        Parse(message, patterns, new HashSet<Regex>());

    /// <param name="timedOut">
    /// Patterns that already timed out on this push: skipped, and a pattern that times out here is added. A pattern
    /// that slipped past validation costs its timeout once per push, not once per line of every commit message.
    /// </param>
    public static IReadOnlyList<IssueMention> Parse(string? message, IReadOnlyList<Regex> patterns, ISet<Regex> timedOut)
    {
        if (string.IsNullOrEmpty(message))
        {
            return [];
        }

        var order = new List<string>();
        var commands = new Dictionary<string, List<SmartCommitCommand>>(StringComparer.Ordinal);
        foreach (var rawLine in message.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var keys = Keys(line, patterns, timedOut);
            if (keys.Count == 0)
            {
                continue;
            }

            var lineCommands = Commands(line);
            foreach (var (index, key) in keys)
            {
                if (!commands.TryGetValue(key, out var list))
                {
                    commands[key] = list = [];
                    order.Add(key);
                }

                list.AddRange(lineCommands.Where(c => c.Index > index).Select(c => c.Command));
            }
        }

        return order.Select(key => new IssueMention(key, commands[key])).ToList();
    }

    /// <summary>Minutes in a Jira duration such as <c>1w 2d 4h 30m</c> (decimals allowed; 1w = 5d, 1d = 8h).</summary>
    public static double? ParseDuration(string text)
    {
        var match = Duration().Match(text);
        if (!match.Success)
        {
            return null;
        }

        double minutes = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var value = double.Parse(part.Value[..^1], CultureInfo.InvariantCulture);
            minutes += value * (char.ToLowerInvariant(part.Value[^1]) switch { 'w' => 5 * 8 * 60, 'd' => 8 * 60, 'h' => 60, _ => 1 });
        }

        return minutes;
    }

    private static List<(int Index, string Key)> Keys(string line, IReadOnlyList<Regex> patterns, ISet<Regex> timedOut)
    {
        var keys = new List<(int, string)>();
        foreach (var pattern in patterns)
        {
            if (timedOut.Contains(pattern))
            {
                continue;
            }

            try
            {
                var group = pattern.GetGroupNumbers()[^1];
                foreach (Match match in pattern.Matches(line))
                {
                    var key = match.Groups[group];
                    if (key.Success && key.Length is > 0 and <= MaxKeyLength)
                    {
                        keys.Add((key.Index, key.Value));
                    }
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern that passed validation and still times out finds nothing more in this push.
                timedOut.Add(pattern);
            }
        }

        return keys.OrderBy(k => k.Item1).ToList();
    }

    private static List<(int Index, SmartCommitCommand Command)> Commands(string line)
    {
        var tokens = CommandToken().Matches(line);
        var result = new List<(int, SmartCommitCommand)>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
        {
            var start = tokens[i].Index + tokens[i].Length;
            var end = i + 1 < tokens.Count ? tokens[i + 1].Index : line.Length;
            var name = tokens[i].Groups[1].Value.ToLowerInvariant();
            var argument = line[start..end].Trim();
            result.Add((tokens[i].Index, new SmartCommitCommand(name, argument, name == "time" ? ParseDuration(argument) : null)));
        }

        return result;
    }

    /// <summary><c>#name</c> at the start of the line or after white space (not a URL fragment, not <c>#123</c>).</summary>
    [GeneratedRegex(@"(?<!\S)#([A-Za-z][\w-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex CommandToken();

    [GeneratedRegex(@"^\s*(?:(?<part>\d+(?:\.\d+)?[wdhmWDHM])(?![A-Za-z0-9])\s*)+", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
