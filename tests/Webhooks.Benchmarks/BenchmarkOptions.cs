using System.Globalization;

namespace Webhooks.Benchmarks;

/// <summary>What to run: the full sizes by default, a few seconds of each with <c>--smoke</c>.</summary>
public sealed class BenchmarkOptions
{
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);

    public int Connections { get; set; } = 64;

    /// <summary>
    /// Closed-loop load before the ingest measurement, not measured: the receiver's tiered JIT keeps recompiling the hot
    /// path for about the first minute of load (15 % of the machine's CPU after 15 s, in a profile), and a measurement
    /// that includes it measures the compiler. Its deliveries are accounted like the others.
    /// </summary>
    public TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(30);

    public int Repositories { get; set; } = 1000;

    public int WarehousesPerRepository { get; set; } = 2;

    public int BurstPushes { get; set; } = 1000;

    public int DedupeDeliveries { get; set; } = 100;

    public int DedupeCopies { get; set; } = 100;

    public int Replicas { get; set; } = 1;

    /// <summary>Scenario 2 (open loop at half the ingest maximum); off in the smoke run.</summary>
    public bool Latency { get; set; } = true;

    /// <summary>Scenario 5 (soak at half the ingest maximum, memory sampled); zero skips it, as the smoke run does.</summary>
    public TimeSpan SoakDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The open loops' rate, latency run and soak (<c>--rate 800</c>); null: half the ingest run's throughput, the issue's
    /// "half load". A/B runs set it, so that a build that ingests faster is not held to a higher load than the one it is
    /// compared with.
    /// </summary>
    public double? OpenLoopRate { get; set; }

    /// <summary>PostgreSQL's own insert rate (pgbench), when pgbench is installed.</summary>
    public bool Storage { get; set; } = true;

    /// <summary>
    /// Extra environment of the services' processes, the receiver's and the dashboard's (<c>--receiver-env NAME=VALUE</c>,
    /// repeatable): A/B runs of runtime settings.
    /// </summary>
    public Dictionary<string, string> ReceiverEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Telemetry exported over OTLP, as a user's services export it to the Aspire dashboard (<c>--telemetry</c>): to a
    /// minimal collector in the benchmark process (<see cref="Stack.OtlpSink"/>). Off, the services export nothing.
    /// </summary>
    public bool Telemetry { get; set; }

    /// <summary>Where benchmarks.md and benchmarks.json go; null writes nothing.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>The command line as typed, quoted in the report.</summary>
    public string Command { get; set; } = "dotnet run -c Release --project tests/Webhooks.Benchmarks";

    /// <summary>Seconds, not minutes: the CI smoke check of the harness and the accounting.</summary>
    public static BenchmarkOptions Smoke() => new()
    {
        Duration = TimeSpan.FromSeconds(3),
        WarmUp = TimeSpan.FromSeconds(1),
        Connections = 8,
        Repositories = 16,
        WarehousesPerRepository = 2,
        BurstPushes = 100,
        DedupeDeliveries = 10,
        DedupeCopies = 10,
        Latency = false,
        SoakDuration = TimeSpan.Zero,
        Storage = false,
    };

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = args.Contains("--smoke") ? Smoke() : new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--smoke": break;
                case "--duration": options.Duration = Seconds(Value()); break;
                case "--warm-up": options.WarmUp = Seconds(Value()); break;
                case "--connections": options.Connections = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--warehouses": options.WarehousesPerRepository = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--repositories": options.Repositories = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--replicas": options.Replicas = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--output": options.OutputDirectory = Value(); break;
                case "--no-latency": options.Latency = false; break;
                case "--latency": options.Latency = true; break;
                case "--soak": options.SoakDuration = Seconds(Value()); break;
                case "--no-soak": options.SoakDuration = TimeSpan.Zero; break;
                case "--no-storage": options.Storage = false; break;
                case "--rate": options.OpenLoopRate = double.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--telemetry": options.Telemetry = true; break;
                case "--receiver-env":
                    var setting = Value().Split('=', 2);
                    options.ReceiverEnvironment[setting[0]] = setting.Length == 2 ? setting[1] : throw new ArgumentException("--receiver-env takes NAME=VALUE.");
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}. Options: --smoke --duration 30s --warm-up 30s --connections 64 --repositories 1000 --warehouses 2 --replicas 1 --output docs --latency --no-latency --soak 10m --no-soak --rate 800 --no-storage --telemetry --receiver-env NAME=VALUE; or --ingress-costs alone");
            }
        }

        options.Command = "dotnet run -c Release --project tests/Webhooks.Benchmarks" + (args.Length > 0 ? " -- " + string.Join(' ', args) : "");
        return options;
    }

    private static TimeSpan Seconds(string value) =>
        TimeSpan.FromSeconds(value.EndsWith('m') ? 60 * double.Parse(value.TrimEnd('m'), CultureInfo.InvariantCulture) : double.Parse(value.TrimEnd('s'), CultureInfo.InvariantCulture));
}
