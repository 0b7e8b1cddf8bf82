namespace Webhooks.Grains.SmartCommits;

/// <summary>A commit that mentions an ALM issue; one row per (project, issue key, commit).</summary>
public sealed class AlmLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid ProjectId { get; set; }

    public required string IssueKey { get; set; }

    public required string RepositoryKey { get; set; }

    public required string Commit { get; set; }

    public string? Ref { get; set; }

    public string? Author { get; set; }

    public string? AuthorEmail { get; set; }

    public string? Message { get; set; }

    public DateTimeOffset? CommittedAt { get; set; }

    /// <summary>The smart-commit commands that followed the key (<c>#comment</c>, <c>#time</c>, transitions).</summary>
    public List<SmartCommitCommand> Commands { get; set; } = [];

    public Guid? DeliveryId { get; set; }

    public DateTimeOffset LinkedAt { get; set; }
}
