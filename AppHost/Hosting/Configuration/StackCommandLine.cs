namespace Webhooks.AppHost.Hosting.Configuration;

/// <summary>
/// The AppHost's own switches turned into configuration keys (<c>--replicas 2</c> → <c>Replicas=2</c>,
/// <c>--fresh</c> → <c>Fresh=true</c>); everything else is left for the command-line configuration provider.
/// </summary>
internal static class StackCommandLine
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- [--replicas N] [--data-dir PATH] [--fresh]
          --replicas N     receiver replicas (default 1)
          --data-dir PATH  postgres data, admin token, secrets (default $XDG_DATA_HOME/webhooks or ~/.local/share/webhooks)
          --fresh          wipe the data directory first
        Configuration (appsettings.json, environment, --Key=value): ConnectionStrings:webhooks and ConnectionStrings:redis
        replace the local postgres and redis; Ports:<resource>; HealthTimeoutSeconds; Postgres:BinDirectory; OTEL_EXPORTER_OTLP_ENDPOINT.
        """;

    public static (Dictionary<string, string?> Settings, string[] Remaining) Parse(IReadOnlyList<string> args)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (option, inlineValue) = Split(args[i]);
            switch (option)
            {
                case "--replicas":
                    settings["Replicas"] = inlineValue ?? Next(args, ref i, option);
                    break;
                case "--data-dir":
                    settings["DataDir"] = inlineValue ?? Next(args, ref i, option);
                    break;
                case "--help" or "-h":
                    settings["Help"] = "true";
                    break;
                case "--fresh":
                    settings["Fresh"] = inlineValue ?? "true";
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        return (settings, [.. rest]);
    }

    private static (string Option, string? Value) Split(string arg)
    {
        var equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static string Next(IReadOnlyList<string> args, ref int i, string option)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new StartupException(FailureMessages.MissingArgumentValue(option));
        }

        return args[++i];
    }
}
