using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Projects;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;

namespace Webhooks.Receiver.Management;

/// <summary>Projects: the tenants that own receivers (and later warehouses, tokens and smart-commit settings).</summary>
internal static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects")
            .WithTags("Projects")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/", CreateProjectAsync)
            .WithName("CreateProject")
            .WithSummary("Create a project; its name (lower-case letters, digits, '-', '_', '.') becomes a route segment")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/", ListProjectsAsync)
            .WithName("ListProjects")
            .WithSummary("All projects with their receiver counts, by name");

        api.MapGet("/{project}", GetProjectAsync)
            .WithName("GetProject")
            .WithSummary("One project with its receiver count")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/{project}", DeleteProjectAsync)
            .WithName("DeleteProject")
            .WithSummary("Delete a project with its receivers and tokens; its receiver URLs stop working at once")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<ProjectView>, ValidationProblem, ProblemHttpResult>> CreateProjectAsync(
        CreateProjectRequest request,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(request.Name))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["name"] = [ResourceName.Rule] },
                title: "The project is not valid.");
        }

        var name = request.Name!;
        var db = services.Db;
        if (await db.Projects.AnyAsync(p => p.Name == name, cancellationToken))
        {
            return ProjectTaken(name);
        }

        var project = new Project { Name = name, CreatedAt = services.Now() };
        db.Projects.Add(project);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return ProjectTaken(name);
        }

        ManagementLog.ProjectCreated(services.Logger, name);
        return TypedResults.Created($"/api/projects/{name}", new ProjectView(project.Name, project.CreatedAt, 0));
    }

    public static async Task<Ok<List<ProjectView>>> ListProjectsAsync(
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var projects = await db.Projects
            .OrderBy(p => p.Name)
            .Select(p => new ProjectView(p.Name, p.CreatedAt, db.Receivers.Count(r => r.ProjectId == p.Id)))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(projects);
    }

    public static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> GetProjectAsync(
        string project,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var view = await db.Projects
            .Where(p => p.Name == project)
            .Select(p => new ProjectView(p.Name, p.CreatedAt, db.Receivers.Count(r => r.ProjectId == p.Id)))
            .FirstOrDefaultAsync(cancellationToken);
        return view is null ? ManagementProblems.ProjectNotFound(project) : TypedResults.Ok(view);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteProjectAsync(
        string project,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
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
            return ManagementProblems.ProjectNotFound(project);
        }

        foreach (var path in receiverPaths)
        {
            await services.InvalidateReceiverAsync(path, project);
        }

        foreach (var hash in tokenHashes)
        {
            await services.InvalidateTokenAsync(hash, project);
        }

        ManagementLog.ProjectDeleted(services.Logger, project, receiverPaths.Count);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult ProjectTaken(string name) =>
        ManagementProblems.Conflict("Project already exists", $"A project named '{name}' already exists.");
}
