namespace Webhooks.AppHost.Hosting.Resources;

public enum ResourceState
{
    NotStarted,
    Starting,
    /// <summary>Started and healthy.</summary>
    Running,
    /// <summary>Crashed after start; a restart is scheduled.</summary>
    Restarting,
    /// <summary>Replaced by a connection string from configuration: nothing to run.</summary>
    External,
    Stopping,
    Stopped,
    FailedToStart,
}
