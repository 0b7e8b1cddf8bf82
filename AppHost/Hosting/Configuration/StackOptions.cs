using Webhooks.AppHost.Hosting.Logging;

namespace Webhooks.AppHost.Hosting.Configuration;

/// <summary>How to run the stack: from the command line and configuration for the AppHost, set directly by tests.</summary>
public sealed class StackOptions
{
    /// <summary>Receiver replicas (<c>--replicas</c>).</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>Where postgres data, the admin token and secrets live (<c>--data-dir</c>); null means <see cref="DefaultDataDirectory"/>.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Wipe the data directory first (<c>--fresh</c>).</summary>
    public bool Fresh { get; set; }

    /// <summary>How long a resource may take to become healthy (<c>HealthTimeoutSeconds</c>).</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a project gets to stop after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Fixed ports by resource name (<c>Ports:dashboard=5000</c>); replica i of a project gets port + i.</summary>
    public IDictionary<string, int> Ports { get; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Extra environment variables for every project (tests use this for their own settings).</summary>
    public IDictionary<string, string?> ProjectEnvironment { get; } = new Dictionary<string, string?>();

    /// <summary>
    /// Extra configuration for the AppHost itself, as if from appsettings (e.g. <c>ConnectionStrings:webhooks</c>);
    /// tests use it, the AppHost reads appsettings, environment and command line instead.
    /// </summary>
    public IDictionary<string, string?> Configuration { get; } = new Dictionary<string, string?>();

    /// <summary>ASPNETCORE_ENVIRONMENT / DOTNET_ENVIRONMENT given to projects; null means the AppHost's own, else Development.</summary>
    public string? EnvironmentName { get; set; }

    /// <summary>Directory holding initdb, postgres and pg_ctl; null means search (<c>Postgres:BinDirectory</c>).</summary>
    public string? PostgresBinDirectory { get; set; }

    /// <summary>Where resource log lines go; null means the console.</summary>
    public ILogSink? LogSink { get; set; }

    public string ResolvedDataDirectory => Path.GetFullPath(DataDirectory ?? DefaultDataDirectory());

    /// <summary><c>$XDG_DATA_HOME/webhooks</c>, else <c>~/.local/share/webhooks</c>.</summary>
    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "webhooks");
    }
}
