namespace Webhooks.AppHost.Hosting.Logging;

/// <summary>
/// <c>receiver-0 | line</c>, the prefix coloured per source unless output is redirected or NO_COLOR is set.
/// </summary>
public sealed class ConsoleLogSink : ILogSink
{
    private static readonly string[] Palette = ["36", "33", "35", "32", "34", "96", "93", "95", "92", "94"];
    private readonly TextWriter _writer;
    private readonly bool _colour;
    private readonly Dictionary<string, string> _colours = [];
    private readonly Lock _lock = new();

    public ConsoleLogSink(TextWriter writer, bool colour)
    {
        _writer = writer;
        _colour = colour;
    }

    public static ILogSink Null { get; } = new NullSink();

    public static ConsoleLogSink ForConsole() =>
        new(Console.Out, !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));

    /// <summary>Width of the name column, so the lines of all resources start in the same column.</summary>
    public int PrefixWidth { get; set; } = 12;

    public void Write(string source, string line)
    {
        lock (_lock)
        {
            var name = source.PadRight(PrefixWidth);
            if (_colour)
            {
                if (!_colours.TryGetValue(source, out var code))
                {
                    code = Palette[_colours.Count % Palette.Length];
                    _colours[source] = code;
                }

                _writer.WriteLine($"\u001b[{code}m{name} |\u001b[0m {line}");
            }
            else
            {
                _writer.WriteLine($"{name} | {line}");
            }

            _writer.Flush();
        }
    }

    private sealed class NullSink : ILogSink
    {
        public void Write(string source, string line)
        {
        }
    }
}
