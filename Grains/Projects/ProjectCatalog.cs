using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Management;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Tokens;

namespace Webhooks.Grains.Projects;

/// <summary>
/// Projects, the tenants that own receivers, warehouses, tokens and smart-commit settings: what the management API and
/// the dashboard both call.
/// </summary>
public sealed class ProjectCatalog(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    ReceiverInvalidation receiverInvalidation,
    TokenInvalidation tokenInvalidation,
    TimeProvider clock,
    ILogger<ProjectCatalog> logger)
{
    public async Task<ManagementResult<ProjectView>> CreateAsync(CreateProjectRequest request, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(request.Name))
        {
            return ManagementFailure.Invalid("The project is not valid.", new() { ["name"] = [ResourceName.Rule] });
        }

        var name = request.Name!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Projects.AnyAsync(p => p.Name == name, cancellationToken))
        {
            return ProjectTaken(name);
        }

        var project = new Project { Name = name, CreatedAt = StoredTime.Now(clock) };
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return ProjectTaken(name);
        }

        ManagementLog.ProjectCreated(logger, name);
        return new ProjectView(project.Name, project.CreatedAt, 0);
    }

    /// <summary>Every project by name, with its receiver count.</summary>
    public async Task<List<ProjectView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Projects
            .OrderBy(p => p.Name)
            .Select(p => new ProjectView(p.Name, p.CreatedAt, db.Set<Receiver>().Count(r => r.ProjectId == p.Id)))
            .ToListAsync(cancellationToken);
    }

    public async Task<ManagementResult<ProjectView>> GetAsync(string project, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var view = await db.Projects
            .Where(p => p.Name == project)
            .Select(p => new ProjectView(p.Name, p.CreatedAt, db.Set<Receiver>().Count(r => r.ProjectId == p.Id)))
            .FirstOrDefaultAsync(cancellationToken);
        return view is null ? ManagementFailure.ProjectNotFound(project) : view;
    }

    /// <summary>Deletes a project with its receivers and tokens (the delivery history stays); null when done.</summary>
    public async Task<ManagementFailure?> DeleteAsync(string project, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        var tokenHashes = new List<byte[]>();
        var receiverPaths = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // The row lock makes a concurrent receiver create wait and then fail, so every receiver that goes with
            // the project is among the paths read here and gets its cache entry invalidated.
            var locked = await db.Projects
                .FromSql($"""SELECT * FROM projects WHERE "Name" = {project} FOR UPDATE""")
                .AsNoTracking()
                .ToListAsync(cancellationToken);
            if (locked.Count == 0)
            {
                return null;
            }

            var projectId = locked[0].Id;
            var paths = await db.Receivers.Where(r => r.ProjectId == projectId).Select(r => r.Path).ToListAsync(cancellationToken);
            // Its webhook tokens go too: every replica must forget them, like the receivers.
            tokenHashes = await db.ApiTokens.Where(t => t.ProjectId == projectId).Select(t => t.Hash).ToListAsync(cancellationToken);
            // Receivers and tokens go with it (ON DELETE CASCADE); the delivery history stays.
            await db.Projects.Where(p => p.Id == projectId).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return paths;
        });

        if (receiverPaths is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        foreach (var path in receiverPaths)
        {
            await receiverInvalidation.ReceiverAsync(path, project);
        }

        foreach (var hash in tokenHashes)
        {
            await tokenInvalidation.TokenAsync(hash, project);
        }

        ManagementLog.ProjectDeleted(logger, project, receiverPaths.Count);
        return null;
    }

    private static ManagementFailure ProjectTaken(string name) =>
        ManagementFailure.Conflict("Project already exists", $"A project named '{name}' already exists.");
}
