using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Management;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;

namespace Webhooks.Grains.SmartCommits;

/// <summary>
/// Smart commits: a project's issue-key patterns (validated by <see cref="SmartCommitPattern"/>, runaway backtracking
/// included), and the commits linked to an issue. Shared by the management API and the dashboard.
/// </summary>
public sealed class SmartCommitCatalog(IDbContextFactory<WebhooksDbContext> dbFactory, TimeProvider clock)
{
    public const int MaxLinks = 500;

    /// <summary>Whether pushes through the project's receivers link commits, and the patterns in force.</summary>
    public async Task<ManagementResult<SmartCommitSettingsView>> GetSettingsAsync(string project, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var settings = await db.SmartCommitSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        return View(settings);
    }

    /// <summary>Why each pattern cannot be used, keyed <c>patterns[i]</c>; empty when all can.</summary>
    public static Dictionary<string, string[]> ValidatePatterns(IReadOnlyList<string> patterns)
    {
        var errors = new Dictionary<string, string[]>();
        if (patterns.Count > SmartCommitPattern.MaxPatterns)
        {
            errors["patterns"] = [$"Use at most {SmartCommitPattern.MaxPatterns} patterns."];
            return errors;
        }

        for (var i = 0; i < patterns.Count; i++)
        {
            if (SmartCommitPattern.Validate(patterns[i]) is { } reason)
            {
                errors[$"patterns[{i}]"] = [reason];
            }
        }

        return errors;
    }

    /// <summary>Saves the settings; no patterns means the default (Jira keys).</summary>
    public async Task<ManagementResult<SmartCommitSettingsView>> SaveSettingsAsync(string project, SmartCommitSettingsRequest request, CancellationToken cancellationToken)
    {
        var patterns = request.Patterns ?? [];
        var errors = ValidatePatterns(patterns);
        if (request.Enabled is null)
        {
            errors["enabled"] = ["Say whether pushes through the project's receivers link commits: true or false."];
        }

        if (errors.Count > 0)
        {
            return ManagementFailure.Invalid("The smart-commit settings are not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var settings = await db.SmartCommitSettings.FirstOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        if (settings is null)
        {
            settings = new SmartCommitSettings { ProjectId = projectId.Value };
            db.SmartCommitSettings.Add(settings);
        }

        settings.Enabled = request.Enabled!.Value;
        settings.Patterns = patterns;
        settings.UpdatedAt = StoredTime.Now(clock);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return ManagementFailure.Conflict("Settings changed meanwhile", "The settings were saved by someone else at the same time; try again.");
        }

        return View(settings);
    }

    /// <summary>The commits linked to an issue, newest first (at most <see cref="MaxLinks"/>), with their smart-commit commands.</summary>
    public async Task<ManagementResult<List<AlmLinkView>>> ListIssueCommitsAsync(string project, string issueKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var links = await db.AlmLinks.AsNoTracking()
            .Where(l => l.ProjectId == projectId && l.IssueKey == issueKey)
            .OrderByDescending(l => l.CommittedAt ?? l.LinkedAt)
            .ThenByDescending(l => l.LinkedAt)
            .Take(MaxLinks)
            .ToListAsync(cancellationToken);
        return links.Select(l => new AlmLinkView(
            l.IssueKey, l.RepositoryKey, l.Commit, l.Ref, l.Author, l.AuthorEmail, l.Message, l.CommittedAt, l.Commands, l.DeliveryId, l.LinkedAt)).ToList();
    }

    private static Task<Guid?> ProjectIdAsync(WebhooksDbContext db, string project, CancellationToken cancellationToken) =>
        db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);

    private static SmartCommitSettingsView View(SmartCommitSettings? settings)
    {
        var saved = settings?.Patterns ?? [];
        return new SmartCommitSettingsView(
            settings?.Enabled ?? false,
            saved.Count > 0 ? saved : [SmartCommitPattern.Default],
            saved.Count == 0,
            SmartCommitPattern.Default,
            settings?.UpdatedAt);
    }
}
