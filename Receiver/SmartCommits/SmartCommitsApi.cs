using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.SmartCommits;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.SmartCommits;

/// <summary>Smart commits: a project's issue-key patterns, and the commits linked to an issue.</summary>
internal static class SmartCommitsApi
{
    public const int MaxLinks = 500;

    public static RouteGroupBuilder MapSmartCommitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}")
            .WithTags("Smart commits")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/smart-commits", GetSettingsAsync)
            .WithName("GetSmartCommits")
            .WithSummary("Whether pushes through the project's receivers link commits, and the issue-key patterns in force");

        api.MapPut("/smart-commits", PutSettingsAsync)
            .WithName("PutSmartCommits")
            .WithSummary("Save the settings; each pattern is a .NET regex with exactly one capture group (the issue key), checked for compile errors and runaway backtracking");

        api.MapGet("/alm/issues/{key}/commits", ListIssueCommitsAsync)
            .WithName("ListIssueCommits")
            .WithSummary("The commits linked to an issue, newest first, with their smart-commit commands");

        return api;
    }

    public static async Task<Results<Ok<SmartCommitSettingsView>, ProblemHttpResult>> GetSettingsAsync(
        string project,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(services, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var settings = await services.Db.SmartCommitSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        return TypedResults.Ok(View(settings));
    }

    public static async Task<Results<Ok<SmartCommitSettingsView>, ValidationProblem, ProblemHttpResult>> PutSettingsAsync(
        string project,
        SmartCommitSettingsRequest request,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Enabled is null)
        {
            errors["enabled"] = ["Say whether pushes through the project's receivers link commits: true or false."];
        }

        var patterns = request.Patterns ?? [];
        if (patterns.Count > SmartCommitPattern.MaxPatterns)
        {
            errors["patterns"] = [$"Use at most {SmartCommitPattern.MaxPatterns} patterns."];
        }
        else
        {
            for (var i = 0; i < patterns.Count; i++)
            {
                if (SmartCommitPattern.Validate(patterns[i]) is { } reason)
                {
                    errors[$"patterns[{i}]"] = [reason];
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The smart-commit settings are not valid.");
        }

        var projectId = await ProjectIdAsync(services, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var db = services.Db;
        var settings = await db.SmartCommitSettings.FirstOrDefaultAsync(s => s.ProjectId == projectId, cancellationToken);
        if (settings is null)
        {
            settings = new SmartCommitSettings { ProjectId = projectId.Value };
            db.SmartCommitSettings.Add(settings);
        }

        settings.Enabled = request.Enabled!.Value;
        settings.Patterns = patterns;
        settings.UpdatedAt = services.Now();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return ManagementProblems.Conflict("Settings changed meanwhile", "The settings were saved by someone else at the same time; try again.");
        }

        return TypedResults.Ok(View(settings));
    }

    public static async Task<Results<Ok<List<AlmLinkView>>, ProblemHttpResult>> ListIssueCommitsAsync(
        string project,
        string key,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(services, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var links = await services.Db.AlmLinks.AsNoTracking()
            .Where(l => l.ProjectId == projectId && l.IssueKey == key)
            .OrderByDescending(l => l.CommittedAt ?? l.LinkedAt)
            .ThenByDescending(l => l.LinkedAt)
            .Take(MaxLinks)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(links.Select(l => new AlmLinkView(
            l.IssueKey, l.RepositoryKey, l.Commit, l.Ref, l.Author, l.AuthorEmail, l.Message, l.CommittedAt, l.Commands, l.DeliveryId, l.LinkedAt)).ToList());
    }

    private static Task<Guid?> ProjectIdAsync(ManagementServices services, string project, CancellationToken cancellationToken) =>
        services.Db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);

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
