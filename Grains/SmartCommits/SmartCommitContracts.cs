namespace Webhooks.Grains.SmartCommits;

/// <summary>A project's smart-commit settings to save; no patterns = the default (Jira keys).</summary>
public sealed record SmartCommitSettingsRequest(bool? Enabled, List<string>? Patterns);

/// <summary>The settings in force: the patterns used (the default when none were saved).</summary>
public sealed record SmartCommitSettingsView(bool Enabled, IReadOnlyList<string> Patterns, bool UsesDefaultPattern, string DefaultPattern, DateTimeOffset? UpdatedAt);

/// <summary>A commit linked to an issue.</summary>
public sealed record AlmLinkView(
    string IssueKey,
    string Repository,
    string Commit,
    string? Ref,
    string? Author,
    string? AuthorEmail,
    string? Message,
    DateTimeOffset? CommittedAt,
    IReadOnlyList<SmartCommitCommand> Commands,
    Guid? DeliveryId,
    DateTimeOffset LinkedAt);
