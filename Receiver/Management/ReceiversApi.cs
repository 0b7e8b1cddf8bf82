using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Receivers;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;
using ReceiverEntity = Webhooks.Grains.Receivers.Receiver;

namespace Webhooks.Receiver.Management;

/// <summary>
/// Receivers: a project's Bitbucket webhook endpoints. A secret leaves the service only in the answer to a create or
/// rotate and in webhook-data; everything else shows whether there is one.
/// </summary>
internal static class ReceiversApi
{
    public const int MaxSecretLength = 128;

    public static RouteGroupBuilder MapReceiversApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}/receivers")
            .WithTags("Receivers")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/", CreateReceiverAsync)
            .WithName("CreateReceiver")
            .WithSummary("Create a receiver; the answer holds its URL and its secret (generated when not given), shown here only")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/", ListReceiversAsync)
            .WithName("ListReceivers")
            .WithSummary("A project's receivers with their URLs and last delivery, never their secrets");

        api.MapGet("/{name}", GetReceiverAsync)
            .WithName("GetReceiver")
            .WithSummary("One receiver with its URL and last delivery, never its secret");

        api.MapGet("/{name}/webhook-data", GetWebhookDataAsync)
            .WithName("GetReceiverWebhookData")
            .WithSummary("What to paste into Bitbucket Cloud or Data Center: URL, secret, content type, events, steps");

        api.MapPost("/{name}/rotate-secret", RotateSecretAsync)
            .WithName("RotateReceiverSecret")
            .WithSummary("Replace the secret; the old one keeps verifying for gracePeriod (ISO 8601 or hh:mm:ss, default 24 h, 0 = not at all, max 30 days)");

        api.MapDelete("/{name}", DeleteReceiverAsync)
            .WithName("DeleteReceiver")
            .WithSummary("Delete a receiver; its URL stops working at once");

        return api;
    }

    public static async Task<Results<Created<CreatedReceiver>, ValidationProblem, ProblemHttpResult>> CreateReceiverAsync(
        string project,
        CreateReceiverRequest request,
        HttpRequest httpRequest,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ResourceName.IsValid(request.Name))
        {
            errors["name"] = [ResourceName.Rule];
        }

        if (request.Secret is { Length: 0 or > MaxSecretLength })
        {
            errors["secret"] = [$"Use 1 to {MaxSecretLength} characters (Bitbucket's limit), or leave it out to have one generated."];
        }

        var serverUrl = NormaliseServerUrl(request.ServerUrl, errors);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The receiver is not valid.");
        }

        var db = services.Db;
        var projectId = await db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var name = request.Name!;
        if (await db.Receivers.AnyAsync(r => r.ProjectId == projectId && r.Name == name, cancellationToken))
        {
            return ReceiverTaken(project, name);
        }

        var secret = request.Secret ?? ReceiverSecrets.NewSecret();
        var now = services.Now();
        var receiver = new ReceiverEntity
        {
            ProjectId = projectId.Value,
            Name = name,
            Path = ReceiverSecrets.NewPath(),
            ProtectedSecret = services.Protector.Protect(secret),
            ServerUrl = serverUrl,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Receivers.Add(receiver);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return ReceiverTaken(project, name);
        }

        ManagementLog.ReceiverCreated(services.Logger, project, name, request.Secret is null);
        return TypedResults.Created(
            $"/api/projects/{project}/receivers/{name}",
            new CreatedReceiver(name, services.Urls.For(httpRequest, receiver.Path), secret, serverUrl, now));
    }

    public static async Task<Results<Ok<List<ReceiverView>>, ProblemHttpResult>> ListReceiversAsync(
        string project,
        HttpRequest httpRequest,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var projectId = await services.Db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var rows = await SelectRows(services, services.Db.Receivers.Where(r => r.ProjectId == projectId).OrderBy(r => r.Name))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(row => row.ToView(services.Urls.For(httpRequest, row.Path))).ToList());
    }

    public static async Task<Results<Ok<ReceiverView>, ProblemHttpResult>> GetReceiverAsync(
        string project,
        string name,
        HttpRequest httpRequest,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var projectId = await services.Db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var row = await SelectRows(services, services.Db.Receivers.Where(r => r.ProjectId == projectId && r.Name == name))
            .FirstOrDefaultAsync(cancellationToken);
        return row is null
            ? ManagementProblems.ReceiverNotFound(project, name)
            : TypedResults.Ok(row.ToView(services.Urls.For(httpRequest, row.Path)));
    }

    public static async Task<Results<Ok<WebhookData>, ProblemHttpResult>> GetWebhookDataAsync(
        string project,
        string name,
        HttpRequest httpRequest,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var (receiver, notFound) = await FindAsync(services, project, name, tracked: false, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        var url = services.Urls.For(httpRequest, receiver.Path);
        return TypedResults.Ok(WebhookSetupGuide.For(url, services.Protector.Unprotect(receiver.ProtectedSecret), receiver.ServerUrl));
    }

    public static async Task<Results<Ok<RotatedSecret>, ValidationProblem, ProblemHttpResult>> RotateSecretAsync(
        string project,
        string name,
        RotateSecretRequest? request,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Secret is { Length: 0 or > MaxSecretLength })
        {
            errors["secret"] = [$"Use 1 to {MaxSecretLength} characters (Bitbucket's limit), or leave it out to have one generated."];
        }

        if (!GracePeriod.TryParse(request?.GracePeriod, out var gracePeriod))
        {
            errors["gracePeriod"] = [GracePeriod.Rule];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The rotation is not valid.");
        }

        var (receiver, notFound) = await FindAsync(services, project, name, tracked: true, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        var secret = request?.Secret ?? ReceiverSecrets.NewSecret();
        var now = services.Now();
        var previousValidUntil = now + gracePeriod;
        // A zero grace period drops the old secret outright rather than keeping one that is never valid.
        receiver.ProtectedPreviousSecret = gracePeriod > TimeSpan.Zero ? receiver.ProtectedSecret : null;
        receiver.PreviousSecretValidUntil = previousValidUntil;
        receiver.ProtectedSecret = services.Protector.Protect(secret);
        receiver.UpdatedAt = now;
        await services.Db.SaveChangesAsync(cancellationToken);
        await services.InvalidateReceiverAsync(receiver.Path, project);

        ManagementLog.SecretRotated(services.Logger, project, name, previousValidUntil);
        return TypedResults.Ok(new RotatedSecret(secret, previousValidUntil));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteReceiverAsync(
        string project,
        string name,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var (receiver, notFound) = await FindAsync(services, project, name, tracked: true, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        services.Db.Receivers.Remove(receiver);
        await services.Db.SaveChangesAsync(cancellationToken);
        await services.InvalidateReceiverAsync(receiver.Path, project);

        ManagementLog.ReceiverDeleted(services.Logger, project, name);
        return TypedResults.NoContent();
    }

    private static async Task<(ReceiverEntity? Receiver, ProblemHttpResult? NotFound)> FindAsync(
        ManagementServices services,
        string project,
        string name,
        bool tracked,
        CancellationToken cancellationToken)
    {
        var db = services.Db;
        var projectId = await db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (projectId is null)
        {
            return (null, ManagementProblems.ProjectNotFound(project));
        }

        var receivers = tracked ? db.Receivers : db.Receivers.AsNoTracking();
        var receiver = await receivers.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Name == name, cancellationToken);
        return receiver is null ? (null, ManagementProblems.ReceiverNotFound(project, name)) : (receiver, null);
    }

    /// <summary>
    /// Receivers as listed, with the time of each one's last delivery in the same statement (the deliveries index on
    /// receiver and time answers it); the protected secrets are not even read.
    /// </summary>
    private static IQueryable<ReceiverRow> SelectRows(ManagementServices services, IQueryable<ReceiverEntity> receivers)
    {
        var deliveries = services.Db.Deliveries;
        return receivers.Select(r => new ReceiverRow(
            r.Name,
            r.Path,
            r.ServerUrl,
            r.ProtectedSecret != null,
            r.CreatedAt,
            r.UpdatedAt,
            r.PreviousSecretValidUntil,
            deliveries.Where(d => d.ReceiverId == r.Id).Max(d => (DateTimeOffset?)d.ReceivedAt)));
    }

    private static string? NormaliseServerUrl(string? serverUrl, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(serverUrl))
        {
            return null;
        }

        serverUrl = serverUrl.Trim();
        if (serverUrl.Length > 2048
            || !Uri.TryCreate(serverUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["serverUrl"] = ["Give the absolute http(s) base URL of the Bitbucket Data Center server, such as https://bitbucket.example.com, without query or credentials."];
            return null;
        }

        return serverUrl.TrimEnd('/');
    }

    private static ProblemHttpResult ReceiverTaken(string project, string name) =>
        ManagementProblems.Conflict("Receiver already exists", $"Project '{project}' already has a receiver named '{name}'.");

    private sealed record ReceiverRow(
        string Name,
        string Path,
        string? ServerUrl,
        bool HasSecret,
        DateTimeOffset CreatedAt,
        DateTimeOffset UpdatedAt,
        DateTimeOffset? PreviousSecretValidUntil,
        DateTimeOffset? LastDeliveryAt)
    {
        // Only the secret ever changes after creation, so a receiver updated since it was created had its secret rotated.
        public ReceiverView ToView(string url) => new(
            Name,
            url,
            ServerUrl,
            HasSecret,
            UpdatedAt > CreatedAt ? UpdatedAt : null,
            PreviousSecretValidUntil,
            CreatedAt,
            LastDeliveryAt);
    }
}
