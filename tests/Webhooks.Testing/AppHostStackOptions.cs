namespace Webhooks.Testing;

/// <summary>How a test starts the stack: the AppHost's own switches, settings for the services, what to leave out.</summary>
public sealed class AppHostStackOptions
{
    /// <summary>Receiver replicas (<c>--replicas</c>).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>The stack's data directory (<c>--data-dir</c>); a fresh temporary one when null.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Wipe the data directory first (<c>--fresh</c>).</summary>
    public bool Fresh { get; set; } = true;

    /// <summary>Only PostgreSQL and Redis: the receiver and the dashboard are left out of the model.</summary>
    public bool InfrastructureOnly { get; set; }

    /// <summary>
    /// Environment variables for the receiver and the dashboard (test timings, A/B settings). The services export no
    /// telemetry unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is given here (there is no Aspire dashboard in a test).
    /// </summary>
    public IDictionary<string, string> ProjectEnvironment { get; } = new Dictionary<string, string>();

    /// <summary>More AppHost arguments, as on its command line (<c>--Key=value</c> configuration).</summary>
    public IList<string> Arguments { get; } = [];

    /// <summary>Where the AppHost's and every resource's log lines go; <c>stack.log</c> in the data directory's parent when null.</summary>
    public string? LogPath { get; set; }

    /// <summary>How long the stack may take to become healthy.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromMinutes(4);
}
