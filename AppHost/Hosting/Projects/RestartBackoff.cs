namespace Webhooks.AppHost.Hosting.Projects;

/// <summary>How long to wait before restarting a crashed project: 1 s, 2 s, 4 s … at most 30 s.</summary>
public static class RestartBackoff
{
    public static readonly TimeSpan Maximum = TimeSpan.FromSeconds(30);

    /// <summary>A run at least this long counts as healthy: the next crash starts the back-off again at 1 s.</summary>
    public static readonly TimeSpan ResetAfter = TimeSpan.FromSeconds(60);

    /// <param name="restart">0 for the first restart after a crash.</param>
    public static TimeSpan Delay(int restart) =>
        restart >= 5 ? Maximum : TimeSpan.FromSeconds(Math.Min(Maximum.TotalSeconds, 1 << restart));
}
