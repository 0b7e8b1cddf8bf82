namespace Webhooks.AppHost.Stack;

/// <summary>The AppHost's own switches (<c>--replicas</c>, <c>--data-dir</c>, <c>--fresh</c>); everything else goes to Aspire.</summary>
internal sealed record StackOptions(int Replicas, string DataDirectory, bool Fresh)
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- [--replicas N] [--data-dir PATH] [--fresh]
          --replicas N     receiver replicas (default 1)
          --data-dir PATH  PostgreSQL and Redis data, the admin token (default $XDG_DATA_HOME/webhooks or ~/.local/share/webhooks)
          --fresh          wipe the data directory first
        Configuration (appsettings.json, environment, --Key=value): ConnectionStrings:webhooks and ConnectionStrings:redis
        use servers of yours instead of the local PostgreSQL and Redis; Postgres:BinDirectory; Ports:receiver, Ports:dashboard.
        """;

    /// <summary><c>$XDG_DATA_HOME/webhooks</c>, else <c>~/.local/share/webhooks</c>.</summary>
    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "webhooks");
    }

    /// <summary>Reads the AppHost's switches and returns the arguments left for Aspire's configuration.</summary>
    /// <exception cref="ArgumentException">A switch without its value, or a replica count that is not a positive number.</exception>
    public static (StackOptions? Options, string[] Remaining) Parse(IReadOnlyList<string> args)
    {
        var replicas = 1;
        string? dataDirectory = null;
        var fresh = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (option, inline) = Split(args[i]);
            switch (option)
            {
                case "--help" or "-h":
                    return (null, []);
                case "--replicas":
                    var value = inline ?? Next(args, ref i, option);
                    if (!int.TryParse(value, out replicas) || replicas is < 1 or > 16)
                    {
                        throw new ArgumentException($"--replicas takes a number from 1 to 16, not '{value}'.");
                    }

                    break;
                case "--data-dir":
                    dataDirectory = inline ?? Next(args, ref i, option);
                    break;
                case "--fresh":
                    fresh = inline is null || bool.Parse(inline);
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return (new StackOptions(replicas, Path.GetFullPath(dataDirectory ?? DefaultDataDirectory()), fresh), [.. rest]);
    }

    private static (string Option, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string option) =>
        i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
            ? args[++i]
            : throw new ArgumentException($"{option} needs a value.");
}
