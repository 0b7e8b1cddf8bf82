namespace Webhooks.AppHost.Hosting.Processes;

/// <summary>What to run, where, with which environment, and as whom.</summary>
internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Run as this user (root only), e.g. postgres.</summary>
    public string? RunAsUser { get; init; }

    /// <summary>
    /// Signal the kernel sends the child when the AppHost dies without stopping it (SIGKILL, crash),
    /// so nothing is orphaned. KILL for projects (their dependencies died with the AppHost), INT (fast shutdown) for postgres.
    /// </summary>
    public string? ParentDeathSignal { get; init; }

    public string CommandLine => string.Join(' ', Arguments.Prepend(FileName));
}
