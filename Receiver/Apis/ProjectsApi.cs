using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Projects;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>Projects: the tenants that own receivers (and later warehouses, tokens and smart-commit settings).</summary>
internal static class ProjectsApi
{
    public static RouteGroupBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects")
            .WithTags("Projects")
            .RejectControlCharacters()
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
        [FromServices] ProjectCatalog projects,
        CancellationToken cancellationToken)
    {
        var result = await projects.CreateAsync(request, cancellationToken);
        return result.Failure is { } failure
            ? failure.Answer<Created<ProjectView>>()
            : TypedResults.Created($"/api/projects/{result.Value.Name}", result.Value);
    }

    public static async Task<Ok<List<ProjectView>>> ListProjectsAsync(
        [FromServices] ProjectCatalog projects,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(await projects.ListAsync(cancellationToken));

    public static async Task<Results<Ok<ProjectView>, ProblemHttpResult>> GetProjectAsync(
        string project,
        [FromServices] ProjectCatalog projects,
        CancellationToken cancellationToken)
    {
        var result = await projects.GetAsync(project, cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteProjectAsync(
        string project,
        [FromServices] ProjectCatalog projects,
        CancellationToken cancellationToken) =>
        await projects.DeleteAsync(project, cancellationToken) is { } failure ? failure.Problem() : TypedResults.NoContent();
}
