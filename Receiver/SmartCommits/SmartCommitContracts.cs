namespace Webhooks.Receiver.SmartCommits;

/// <summary>A project's smart-commit settings to save; no patterns = the default (Jira keys).</summary>
internal sealed record SmartCommitSettingsRequest(bool? Enabled, List<string>? Patterns);

/// <summary>The settings in force: the patterns used (the default when none were saved).</summary>
internal sealed record SmartCommitSettingsView(bool Enabled, IReadOnlyList<string> Patterns, bool UsesDefaultPattern, string DefaultPattern, DateTimeOffset? UpdatedAt);

/// <summary>A commit linked to an issue.</summary>
internal sealed record AlmLinkView(
    string IssueKey,
    string Repository,
    string Commit,
    string? Ref,
    string? Author,
    string? AuthorEmail,
    string? Message,
    DateTimeOffset? CommittedAt,
    IReadOnlyList<Grains.SmartCommits.SmartCommitCommand> Commands,
    Guid? DeliveryId,
    DateTimeOffset LinkedAt);
