using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;
using Webhooks.Receiver.Authentication;
using Webhooks.Receiver.Management.Contracts;

namespace Webhooks.Receiver.Management;

/// <summary>
/// Warehouses: what a project follows in its repositories, the Freight found there and the refreshes that found it.
/// Notify secrets and git credentials go in and never come out.
/// </summary>
internal static class WarehousesApi
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapWarehousesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/projects/{project}/warehouses")
            .WithTags("Warehouses")
            .RequireAuthorization(AdminTokenAuthenticationHandler.AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/", CreateWarehouseAsync)
            .WithName("CreateWarehouse")
            .WithSummary("Create a warehouse: subscriptions (repository, branch/tag globs, payload or git discovery, credentials), downstream notify target, git interval")
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("/", ListWarehousesAsync)
            .WithName("ListWarehouses")
            .WithSummary("A project's warehouses with state, subscriptions, latest Freight and last refresh; never secrets");

        api.MapGet("/{name}", GetWarehouseAsync)
            .WithName("GetWarehouse")
            .WithSummary("One warehouse with state (idle, refreshing, pending), subscriptions, latest Freight and last refresh");

        api.MapPut("/{name}", UpdateWarehouseAsync)
            .WithName("UpdateWarehouse")
            .WithSummary("Replace a warehouse's definition (same body as create; secrets and credentials must be given again)");

        api.MapDelete("/{name}", DeleteWarehouseAsync)
            .WithName("DeleteWarehouse")
            .WithSummary("Delete a warehouse with its Freight and history");

        api.MapGet("/{name}/freight", ListFreightAsync)
            .WithName("ListFreight")
            .WithSummary("Freight newest first (limit 1 to 500, default 50), with the deliveries that announced it and its notification status");

        api.MapGet("/{name}/refreshes", ListRefreshesAsync)
            .WithName("ListRefreshes")
            .WithSummary("Refreshes newest first: start, end, status, requests taken and how many were coalesced, new Freight");

        api.MapGet("/{name}/requests", ListRequestsAsync)
            .WithName("ListRefreshRequests")
            .WithSummary("Refresh requests newest first: reason, delivery, outcome (refreshed, coalesced, deduplicated; null while pending)");

        api.MapPost("/{name}/refresh", RefreshAsync)
            .WithName("RefreshWarehouse")
            .WithSummary("Ask for a refresh now; answered once the request is durable, the refresh runs after");

        return api;
    }

    public static async Task<Results<Created<WarehouseView>, ValidationProblem, ProblemHttpResult>> CreateWarehouseAsync(
        string project,
        WarehouseRequest request,
        [AsParameters] ManagementServices services,
        [AsParameters] WarehouseServices warehouses,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = WarehouseDefinition.Validate(request, warehouses.RefreshOptions.Value, errors);
        if (definition is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The warehouse is not valid.");
        }

        var db = services.Db;
        var projectId = await ProjectIdAsync(services, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        if (await db.Warehouses.AnyAsync(w => w.ProjectId == projectId && w.Name == definition.Name, cancellationToken))
        {
            return WarehouseTaken(project, definition.Name);
        }

        var now = services.Now();
        var warehouse = new Warehouse { ProjectId = projectId.Value, Name = definition.Name, CreatedAt = now };
        db.Warehouses.Add(warehouse);
        Apply(db, warehouse, definition, warehouses.SecretProtector, now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return WarehouseTaken(project, definition.Name);
        }

        await warehouses.InvalidateAsync(warehouse.Id, warehouse.Subscriptions.Select(s => s.RepositoryKey), services.Logger, project, warehouse.Name);
        ManagementLog.WarehouseCreated(services.Logger, project, warehouse.Name, warehouse.Subscriptions.Count);
        var view = await ViewAsync(services, warehouse.Id, cancellationToken);
        return TypedResults.Created($"/api/projects/{project}/warehouses/{warehouse.Name}", view!);
    }

    public static async Task<Results<Ok<List<WarehouseView>>, ProblemHttpResult>> ListWarehousesAsync(
        string project,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(services, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementProblems.ProjectNotFound(project);
        }

        var ids = await services.Db.Warehouses.Where(w => w.ProjectId == projectId).OrderBy(w => w.Name).Select(w => w.Id).ToListAsync(cancellationToken);
        var views = new List<WarehouseView>(ids.Count);
        foreach (var id in ids)
        {
            if (await ViewAsync(services, id, cancellationToken) is { } view)
            {
                views.Add(view);
            }
        }

        return TypedResults.Ok(views);
    }

    public static async Task<Results<Ok<WarehouseView>, ProblemHttpResult>> GetWarehouseAsync(
        string project,
        string name,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken)
    {
        var (id, notFound) = await FindAsync(services, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var view = await ViewAsync(services, id.Value, cancellationToken);
        return view is null ? ManagementProblems.WarehouseNotFound(project, name) : TypedResults.Ok(view);
    }

    public static async Task<Results<Ok<WarehouseView>, ValidationProblem, ProblemHttpResult>> UpdateWarehouseAsync(
        string project,
        string name,
        WarehouseRequest request,
        [AsParameters] ManagementServices services,
        [AsParameters] WarehouseServices warehouses,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = WarehouseDefinition.Validate(request with { Name = request.Name ?? name }, warehouses.RefreshOptions.Value, errors);
        if (definition is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The warehouse is not valid.");
        }

        var (id, notFound) = await FindAsync(services, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var db = services.Db;
        var warehouse = await db.Warehouses.Include(w => w.Subscriptions).FirstAsync(w => w.Id == id, cancellationToken);
        var previousKeys = warehouse.Subscriptions.Select(s => s.RepositoryKey).ToList();
        db.Subscriptions.RemoveRange(warehouse.Subscriptions);
        warehouse.Subscriptions = [];
        Apply(db, warehouse, definition, warehouses.SecretProtector, services.Now());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return WarehouseTaken(project, definition.Name);
        }

        await warehouses.InvalidateAsync(warehouse.Id, previousKeys.Concat(warehouse.Subscriptions.Select(s => s.RepositoryKey)), services.Logger, project, warehouse.Name);
        ManagementLog.WarehouseUpdated(services.Logger, project, warehouse.Name);
        return TypedResults.Ok((await ViewAsync(services, warehouse.Id, cancellationToken))!);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWarehouseAsync(
        string project,
        string name,
        [AsParameters] ManagementServices services,
        [AsParameters] WarehouseServices warehouses,
        CancellationToken cancellationToken)
    {
        var (id, notFound) = await FindAsync(services, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var db = services.Db;
        var keys = await db.Subscriptions.Where(s => s.WarehouseId == id).Select(s => s.RepositoryKey).ToListAsync(cancellationToken);
        await db.Warehouses.Where(w => w.Id == id).ExecuteDeleteAsync(cancellationToken);
        await warehouses.InvalidateAsync(id.Value, keys, services.Logger, project, name);
        ManagementLog.WarehouseDeleted(services.Logger, project, name);
        return TypedResults.NoContent();
    }

    public static Task<Results<Ok<List<FreightView>>, ValidationProblem, ProblemHttpResult>> ListFreightAsync(
        string project,
        string name,
        int? limit,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken) =>
        ListOfWarehouseAsync(services, project, name, limit, cancellationToken,
            (id, take, token) => FreightQuery(services, id).Take(take).ToListAsync(token));

    public static Task<Results<Ok<List<RefreshView>>, ValidationProblem, ProblemHttpResult>> ListRefreshesAsync(
        string project,
        string name,
        int? limit,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken) =>
        ListOfWarehouseAsync(services, project, name, limit, cancellationToken, async (id, take, token) =>
            (await services.Db.Refreshes.AsNoTracking()
                .Where(r => r.WarehouseId == id)
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Take(take)
                .ToListAsync(token))
            .Select(ToView).ToList());

    public static Task<Results<Ok<List<RefreshRequestView>>, ValidationProblem, ProblemHttpResult>> ListRequestsAsync(
        string project,
        string name,
        int? limit,
        [AsParameters] ManagementServices services,
        CancellationToken cancellationToken) =>
        ListOfWarehouseAsync(services, project, name, limit, cancellationToken, async (id, take, token) =>
            (await services.Db.RefreshRequests.AsNoTracking()
                .Where(r => r.WarehouseId == id)
                .OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id)
                .Take(take)
                .ToListAsync(token))
            .Select(ToView).ToList());

    /// <summary>The shared shape of a warehouse's lists: validate the limit, find the warehouse, read its newest rows.</summary>
    private static async Task<Results<Ok<List<TView>>, ValidationProblem, ProblemHttpResult>> ListOfWarehouseAsync<TView>(
        ManagementServices services,
        string project,
        string name,
        int? limit,
        CancellationToken cancellationToken,
        Func<Guid, int, CancellationToken, Task<List<TView>>> read)
    {
        if (InvalidLimit(limit) is { } invalid)
        {
            return invalid;
        }

        var (id, notFound) = await FindAsync(services, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        return TypedResults.Ok(await read(id.Value, limit ?? DefaultLimit, cancellationToken));
    }

    public static async Task<Results<Accepted<RefreshRequested>, ProblemHttpResult>> RefreshAsync(
        string project,
        string name,
        [AsParameters] ManagementServices services,
        [AsParameters] WarehouseServices warehouses,
        CancellationToken cancellationToken)
    {
        var (id, notFound) = await FindAsync(services, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var acknowledgement = await warehouses.Grains.GetGrain<IWarehouseGrain>(id.Value)
            .RequestRefreshAsync(new RefreshTrigger(RefreshReason.Manual, null, null, []));
        return TypedResults.Accepted(
            $"/api/projects/{project}/warehouses/{name}/requests",
            new RefreshRequested(acknowledgement.RequestId, acknowledgement.Outcome is null ? "pending" : WireName(acknowledgement.Outcome.Value)));
    }

    /// <summary>The warehouse as shown, read in a few small queries; null when it is gone.</summary>
    internal static async Task<WarehouseView?> ViewAsync(ManagementServices services, Guid id, CancellationToken cancellationToken)
    {
        var db = services.Db;
        var warehouse = await db.Warehouses.AsNoTracking()
            .Include(w => w.Subscriptions.OrderBy(s => s.Position))
            .FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        if (warehouse is null)
        {
            return null;
        }

        var lastRun = await db.Refreshes.AsNoTracking()
            .Where(r => r.WarehouseId == id)
            .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
            .FirstOrDefaultAsync(cancellationToken);
        var pending = await db.RefreshRequests.AnyAsync(r => r.WarehouseId == id && r.CompletedAt == null, cancellationToken);
        var state = lastRun is { Status: RefreshStatus.Running } ? "refreshing" : pending ? "pending" : "idle";
        var latest = await FreightQuery(services, id).FirstOrDefaultAsync(cancellationToken);
        return new WarehouseView(
            warehouse.Id,
            warehouse.Name,
            state,
            warehouse.Subscriptions.Select(s => new SubscriptionView(
                s.RepositoryUrl, s.RepositoryKey, s.Branch, s.Tag, WireName(s.Discovery), s.ProtectedCredentials is not null)).ToList(),
            warehouse.NotifyUrl is null ? null : new NotifyView(warehouse.NotifyUrl, warehouse.ProtectedNotifySecret is not null),
            System.Xml.XmlConvert.ToString(warehouse.Interval),
            latest,
            lastRun is null ? null : ToView(lastRun),
            warehouse.CreatedAt,
            warehouse.UpdatedAt);
    }

    private static IQueryable<FreightView> FreightQuery(ManagementServices services, Guid warehouseId)
    {
        var outbox = services.Db.NotificationOutbox;
        return services.Db.Freight.AsNoTracking()
            .Where(f => f.WarehouseId == warehouseId)
            .OrderByDescending(f => f.DiscoveredAt).ThenByDescending(f => f.Id)
            .Select(f => new FreightView(
                f.Id,
                f.RepositoryKey,
                f.RepositoryUrl,
                f.Ref,
                f.Commit,
                f.Message,
                f.Author,
                f.DiscoveredAt,
                f.DeliveryIds,
                outbox.Where(o => o.FreightId == f.Id).Select(o => o.Status == NotificationStatus.Pending ? "pending"
                    : o.Status == NotificationStatus.Delivered ? "delivered" : "failed").FirstOrDefault()));
    }

    /// <summary>Copies a definition onto a warehouse; its subscriptions are new rows, added to <paramref name="db"/> as such.</summary>
    private static void Apply(WebhooksDbContext db, Warehouse warehouse, WarehouseDefinition definition, WarehouseSecretProtector protector, DateTimeOffset now)
    {
        warehouse.Name = definition.Name;
        warehouse.NotifyUrl = definition.NotifyUrl;
        warehouse.ProtectedNotifySecret = definition.NotifyUrl is null ? null : protector.ProtectNotifySecret(definition.NotifySecret);
        warehouse.Interval = definition.Interval;
        warehouse.UpdatedAt = now;
        foreach (var (subscription, credentials) in definition.Subscriptions)
        {
            subscription.WarehouseId = warehouse.Id;
            subscription.ProtectedCredentials = protector.ProtectCredentials(credentials);
            warehouse.Subscriptions.Add(subscription);
            // Client-generated keys: without an explicit Add, EF would take a new subscription for an existing row.
            db.Subscriptions.Add(subscription);
        }
    }

    private static async Task<Guid?> ProjectIdAsync(ManagementServices services, string project, CancellationToken cancellationToken) =>
        await services.Db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);

    internal static async Task<(Guid? Id, ProblemHttpResult? NotFound)> FindAsync(
        ManagementServices services, string project, string name, CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(services, project, cancellationToken);
        if (projectId is null)
        {
            return (null, ManagementProblems.ProjectNotFound(project));
        }

        var id = await services.Db.Warehouses.Where(w => w.ProjectId == projectId && w.Name == name).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        return id is null ? (null, ManagementProblems.WarehouseNotFound(project, name)) : (id, null);
    }

    private static ValidationProblem? InvalidLimit(int? limit) =>
        limit is < 1 or > MaxLimit
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"Use 1 to {MaxLimit}."] }, title: "The query is not valid.")
            : null;

    private static RefreshView ToView(RefreshRun run) => new(
        run.Id, run.StartedAt, run.FinishedAt, WireName(run.Status), run.Requests, run.Coalesced, run.NewFreight, run.Error);

    private static RefreshRequestView ToView(RefreshRequest request) => new(
        request.Id, WireName(request.Reason), request.DeliveryId, request.RequestedAt,
        request.Outcome is { } outcome ? WireName(outcome) : null, request.RefreshId, request.CompletedAt);

    private static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static ProblemHttpResult WarehouseTaken(string project, string name) =>
        ManagementProblems.Conflict("Warehouse already exists", $"Project '{project}' already has a warehouse named '{name}'.");
}
