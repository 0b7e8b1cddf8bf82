using Webhooks.Grains.Projects;

namespace Webhooks.Grains.SmartCommits;

/// <summary>A project's smart-commit settings: whether pushes through its receivers link commits, and the patterns.</summary>
public sealed class SmartCommitSettings
{
    public Guid ProjectId { get; set; }

    public Project? Project { get; set; }

    /// <summary>"Auto update on webhook": pushes through the project's receivers (and trigger endpoint) link commits.</summary>
    public bool Enabled { get; set; }

    /// <summary>.NET regular expressions with one capture group, the issue key; empty = <see cref="SmartCommitPattern.Default"/>.</summary>
    public List<string> Patterns { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }
}
