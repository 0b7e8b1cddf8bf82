namespace Webhooks.Grains.SmartCommits;

/// <summary>
/// One smart-commit command after an issue key: <c>comment</c>, <c>time</c>, or a transition (<c>resolve</c>,
/// <c>finish-work</c>). <see cref="Argument"/> runs to the next command or the end of the line.
/// </summary>
/// <param name="Minutes">For <c>#time</c>: the time logged (1w = 5d, 1d = 8h, Jira's defaults); null otherwise or when unreadable.</param>
public sealed record SmartCommitCommand(string Name, string Argument, double? Minutes = null);

/// <summary>An issue key found in a commit message, with the commands that followed it on its lines.</summary>
public sealed record IssueMention(string IssueKey, IReadOnlyList<SmartCommitCommand> Commands);
