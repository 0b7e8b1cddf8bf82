using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.SmartCommits;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management;
using Webhooks.Receiver.SmartCommits;

namespace Webhooks.Receiver.Apis;

/// <summary>Smart commits: a project's issue-key patterns, and the commits linked to an issue.</summary>
internal static class SmartCommitsApi
{
    public static RouteGroupBuilder MapSmartCommitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}")
            .WithTags("Smart commits")
            .RejectControlCharacters()
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
        [FromServices] SmartCommitCatalog smartCommits,
        CancellationToken cancellationToken)
    {
        var result = await smartCommits.GetSettingsAsync(project, cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<SmartCommitSettingsView>, ValidationProblem, ProblemHttpResult>> PutSettingsAsync(
        string project,
        SmartCommitSettingsRequest request,
        [FromServices] SmartCommitCatalog smartCommits,
        CancellationToken cancellationToken)
    {
        var result = await smartCommits.SaveSettingsAsync(project, request, cancellationToken);
        return result.Failure is { } failure ? failure.Answer<Ok<SmartCommitSettingsView>>() : TypedResults.Ok(result.Value);
    }

    public static async Task<Results<Ok<List<AlmLinkView>>, ProblemHttpResult>> ListIssueCommitsAsync(
        string project,
        string key,
        [FromServices] SmartCommitCatalog smartCommits,
        CancellationToken cancellationToken)
    {
        var result = await smartCommits.ListIssueCommitsAsync(project, key, cancellationToken);
        return result.Failure is { } failure ? failure.Problem() : TypedResults.Ok(result.Value);
    }
}
