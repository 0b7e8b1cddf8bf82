using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;

namespace Webhooks.Dashboard.Deliveries;

/// <summary>What the Deliveries filters offer: the projects and their receivers, by name.</summary>
public sealed class DeliveryFilterChoices(IDbContextFactory<WebhooksDbContext> dbFactory)
{
    /// <summary>Bitbucket event keys worth offering in the event filter; any other key can be typed.</summary>
    public static readonly IReadOnlyList<string> CommonEvents =
    [
        "repo:push", "repo:refs_changed", "mirror:repo_synchronized", "diagnostics:ping",
        "pullrequest:created", "pullrequest:updated", "pullrequest:fulfilled", "pullrequest:rejected",
        "pr:opened", "pr:merged", "pr:declined", "pr:from_ref_updated",
    ];

    public async Task<IReadOnlyList<ProjectReceivers>> ProjectsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var receivers = await db.Receivers.AsNoTracking()
            .Select(r => new { Project = r.Project!.Name, r.Name })
            .ToListAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(cancellationToken);
        return [.. projects.Select(project => new ProjectReceivers(
            project,
            [.. receivers.Where(r => r.Project == project).Select(r => r.Name).Order(StringComparer.Ordinal)]))];
    }
}

/// <summary>A project and the names of its receivers.</summary>
public sealed record ProjectReceivers(string Project, IReadOnlyList<string> Receivers);
