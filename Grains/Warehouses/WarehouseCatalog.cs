using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Abstractions;
using Webhooks.Grains.Discovery;
using Webhooks.Grains.Management;
using Webhooks.Grains.Notifications;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;

namespace Webhooks.Grains.Warehouses;

/// <summary>
/// Warehouses: what a project follows in its repositories. Create, edit and delete them (validated by
/// <see cref="WarehouseDefinition"/>, with the grains told to reload) and ask for a refresh, for the management API and
/// the dashboard alike. Notify secrets and git credentials go in and never come out, except a notify secret generated
/// for the caller (in the answer to the create or update that generated it, and to a rotation).
/// </summary>
public sealed class WarehouseCatalog(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    IGrainFactory grains,
    WarehouseSecretProtector secretProtector,
    IRefLister refLister,
    IOptions<RefreshOptions> refreshOptions,
    TimeProvider clock,
    ILogger<WarehouseCatalog> logger)
{
    /// <summary>Checks a definition without saving it: the errors keyed by field, empty when it is valid.</summary>
    public Dictionary<string, string[]> Validate(WarehouseRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        WarehouseDefinition.Validate(request, refreshOptions.Value, errors);
        return errors;
    }

    public async Task<ManagementResult<WarehouseView>> CreateAsync(string project, WarehouseRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = WarehouseDefinition.Validate(request, refreshOptions.Value, errors);
        if (definition is null)
        {
            return ManagementFailure.Invalid("The warehouse is not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        if (await db.Warehouses.AnyAsync(w => w.ProjectId == projectId && w.Name == definition.Name, cancellationToken))
        {
            return WarehouseTaken(project, definition.Name);
        }

        var listed = await VerifyAsync(definition, definition.Subscriptions.Select(s => (s, s.Credentials)), cancellationToken);
        if (listed is not null)
        {
            return listed;
        }

        var now = StoredTime.Now(clock);
        var warehouse = new Warehouse { ProjectId = projectId.Value, Name = definition.Name, CreatedAt = now };
        db.Warehouses.Add(warehouse);
        var generated = Apply(db, warehouse, definition, [], now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return WarehouseTaken(project, definition.Name);
        }

        await InvalidateAsync(warehouse.Id, warehouse.Subscriptions.Select(s => s.RepositoryKey), project, warehouse.Name);
        ManagementLog.WarehouseCreated(logger, project, warehouse.Name, warehouse.Subscriptions.Count);
        return WithGeneratedSecret((await WarehouseViews.ViewAsync(db, warehouse.Id, cancellationToken))!, generated);
    }

    /// <summary>A project's warehouses by name with state, subscriptions, latest Freight and last refresh.</summary>
    public async Task<ManagementResult<List<WarehouseView>>> ListAsync(string project, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var ids = await db.Warehouses.Where(w => w.ProjectId == projectId).OrderBy(w => w.Name).Select(w => w.Id).ToListAsync(cancellationToken);
        var views = new List<WarehouseView>(ids.Count);
        foreach (var id in ids)
        {
            if (await WarehouseViews.ViewAsync(db, id, cancellationToken) is { } view)
            {
                views.Add(view);
            }
        }

        return views;
    }

    /// <summary>One warehouse with its state (idle, refreshing, pending), subscriptions, latest Freight and last refresh.</summary>
    public async Task<ManagementResult<WarehouseView>> GetAsync(string project, string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (id, notFound) = await FindAsync(db, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var view = await WarehouseViews.ViewAsync(db, id.Value, cancellationToken);
        return view is null ? ManagementFailure.WarehouseNotFound(project, name) : view;
    }

    /// <summary>
    /// Replaces a warehouse's definition. Secrets never come out, so an edit need not repeat them: a notify secret left
    /// out is kept (<c>clearSecret</c> removes it; one given replaces the current one at once, while
    /// <see cref="RotateNotifySecretAsync"/> keeps the old one signing for a grace period), and so are the credentials of
    /// a subscription with the same URL (<c>clearCredentials</c> removes them). Git-mode subscriptions that are new or
    /// have new credentials are listed once before saving, unless the request says <c>verify: false</c>.
    /// </summary>
    public async Task<ManagementResult<WarehouseView>> UpdateAsync(string project, string name, WarehouseRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var definition = WarehouseDefinition.Validate(request with { Name = request.Name ?? name }, refreshOptions.Value, errors);
        if (definition is null)
        {
            return ManagementFailure.Invalid("The warehouse is not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (id, notFound) = await FindAsync(db, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var warehouse = await db.Warehouses.Include(w => w.Subscriptions).FirstAsync(w => w.Id == id, cancellationToken);
        var previous = warehouse.Subscriptions.ToList();
        var changed = definition.Subscriptions
            .Where(s => s.Subscription.Discovery == DiscoveryMode.Git
                && (s.Credentials is not null || !previous.Any(p => p.Discovery == DiscoveryMode.Git && p.RepositoryUrl == s.Subscription.RepositoryUrl)))
            .Select(s => (s, s.Credentials ?? (s.ClearCredentials ? null : secretProtector.UnprotectCredentials(KeptCredentials(previous, s)))));
        var listed = await VerifyAsync(definition, changed, cancellationToken);
        if (listed is not null)
        {
            return listed;
        }

        var previousKeys = previous.Select(s => s.RepositoryKey).ToList();
        db.Subscriptions.RemoveRange(warehouse.Subscriptions);
        warehouse.Subscriptions = [];
        var generated = Apply(db, warehouse, definition, previous, StoredTime.Now(clock));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return WarehouseTaken(project, definition.Name);
        }

        await InvalidateAsync(warehouse.Id, previousKeys.Concat(warehouse.Subscriptions.Select(s => s.RepositoryKey)), project, warehouse.Name);
        ManagementLog.WarehouseUpdated(logger, project, warehouse.Name);
        return WithGeneratedSecret((await WarehouseViews.ViewAsync(db, warehouse.Id, cancellationToken))!, generated);
    }

    /// <summary>
    /// Replaces the notify secret (generated when not given); the old one keeps signing beside it for the grace period
    /// (default 24 h, 0 = not at all), as a receiver's old secret keeps verifying.
    /// </summary>
    public async Task<ManagementResult<RotatedSecret>> RotateNotifySecretAsync(
        string project, string name, RotateSecretRequest? request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Secret is not null && !NotifySecret.IsValid(request.Secret))
        {
            errors["secret"] = [NotifySecret.Rule];
        }

        if (!GracePeriod.TryParse(request?.GracePeriod, out var gracePeriod))
        {
            errors["gracePeriod"] = [GracePeriod.Rule];
        }

        if (errors.Count > 0)
        {
            return ManagementFailure.Invalid("The rotation is not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (id, notFound) = await FindAsync(db, project, name, cancellationToken);
        if (id is null)
        {
            return notFound!;
        }

        var warehouse = await db.Warehouses.FirstAsync(w => w.Id == id, cancellationToken);
        if (warehouse.NotifyUrl is null)
        {
            return ManagementFailure.Invalid("The rotation is not valid.", new() { ["notify"] = ["The warehouse has no notify target to sign for."] });
        }

        var secret = request?.Secret ?? NotifySecret.New();
        var now = StoredTime.Now(clock);
        var previousValidUntil = now + gracePeriod;
        // A zero grace period drops the old secret outright rather than keeping one that never signs.
        warehouse.ProtectedPreviousNotifySecret = gracePeriod > TimeSpan.Zero ? warehouse.ProtectedNotifySecret : null;
        warehouse.PreviousNotifySecretValidUntil = warehouse.ProtectedPreviousNotifySecret is null ? null : previousValidUntil;
        warehouse.ProtectedNotifySecret = secretProtector.ProtectNotifySecret(secret);
        warehouse.NotifySecretRotatedAt = now;
        warehouse.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        ManagementLog.NotifySecretRotated(logger, project, name, previousValidUntil);
        return new RotatedSecret(secret, previousValidUntil);
    }

    /// <summary>Deletes a warehouse with its Freight and history; null when done.</summary>
    public async Task<ManagementFailure?> DeleteAsync(string project, string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (id, notFound) = await FindAsync(db, project, name, cancellationToken);
        if (id is null)
        {
            return notFound;
        }

        var keys = await db.Subscriptions.Where(s => s.WarehouseId == id).Select(s => s.RepositoryKey).ToListAsync(cancellationToken);
        await db.Warehouses.Where(w => w.Id == id).ExecuteDeleteAsync(cancellationToken);
        await InvalidateAsync(id.Value, keys, project, name);
        ManagementLog.WarehouseDeleted(logger, project, name);
        return null;
    }

    /// <summary>Asks the warehouse's grain for a refresh; answered once the request is durable, the refresh runs after.</summary>
    public async Task<ManagementResult<RefreshRequested>> RefreshAsync(string project, string name, CancellationToken cancellationToken)
    {
        Guid? id;
        ManagementFailure? notFound;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            (id, notFound) = await FindAsync(db, project, name, cancellationToken);
        }

        if (id is null)
        {
            return notFound!;
        }

        var acknowledgement = await grains.GetGrain<IWarehouseGrain>(id.Value)
            .RequestRefreshAsync(new RefreshTrigger(RefreshReason.Manual, null, null, []));
        return new RefreshRequested(acknowledgement.RequestId, acknowledgement.Outcome is null ? "pending" : WarehouseViews.WireName(acknowledgement.Outcome.Value));
    }

    internal static async Task<(Guid? Id, ManagementFailure? NotFound)> FindAsync(
        WebhooksDbContext db, string project, string name, CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return (null, ManagementFailure.ProjectNotFound(project));
        }

        var id = await db.Warehouses.Where(w => w.ProjectId == projectId && w.Name == name).Select(w => (Guid?)w.Id).FirstOrDefaultAsync(cancellationToken);
        return id is null ? (null, ManagementFailure.WarehouseNotFound(project, name)) : (id, null);
    }

    private static Task<Guid?> ProjectIdAsync(WebhooksDbContext db, string project, CancellationToken cancellationToken) =>
        db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Copies a definition onto a warehouse; its subscriptions are new rows, added to <paramref name="db"/> as such.
    /// Secrets the definition leaves out are kept: the warehouse's notify secret, and the credentials of the
    /// <paramref name="previous"/> subscription with the same URL. Returns the notify secret when one had to be generated
    /// (a new notify target given without a secret), for the answer.
    /// </summary>
    private string? Apply(WebhooksDbContext db, Warehouse warehouse, WarehouseDefinition definition, IReadOnlyList<Subscription> previous, DateTimeOffset now)
    {
        var newTarget = warehouse.NotifyUrl is null;
        warehouse.Name = definition.Name;
        warehouse.NotifyUrl = definition.NotifyUrl;
        var generated = ApplyNotifySecret(warehouse, definition, newTarget);
        warehouse.LegacyHubSignature = definition.LegacyHubSignature ?? warehouse.LegacyHubSignature;
        warehouse.Interval = definition.Interval;
        warehouse.UpdatedAt = now;
        foreach (var given in definition.Subscriptions)
        {
            var subscription = given.Subscription;
            subscription.WarehouseId = warehouse.Id;
            subscription.ProtectedCredentials = given.Credentials is { } credentials ? secretProtector.ProtectCredentials(credentials)
                : given.ClearCredentials ? null
                : KeptCredentials(previous, given);
            warehouse.Subscriptions.Add(subscription);
            // Client-generated keys: without an explicit Add, EF would take a new subscription for an existing row.
            db.Subscriptions.Add(subscription);
        }

        return generated;
    }

    private string? ApplyNotifySecret(Warehouse warehouse, WarehouseDefinition definition, bool newTarget)
    {
        if (definition.NotifyUrl is null || definition.ClearNotifySecret)
        {
            warehouse.ProtectedNotifySecret = warehouse.ProtectedPreviousNotifySecret = null;
            warehouse.PreviousNotifySecretValidUntil = null;
            return null;
        }

        if (definition.NotifySecret is { } given)
        {
            // The same secret given again (an edit that re-enters it) changes nothing, not even a running grace period.
            if (secretProtector.UnprotectNotifySecret(warehouse.ProtectedNotifySecret) != given)
            {
                warehouse.ProtectedNotifySecret = secretProtector.ProtectNotifySecret(given);
                warehouse.ProtectedPreviousNotifySecret = null;
                warehouse.PreviousNotifySecretValidUntil = null;
            }

            return null;
        }

        // Kept as it is, also when there is none: a secret cleared on purpose stays cleared until one is given or rotated in.
        if (warehouse.ProtectedNotifySecret is not null || !newTarget)
        {
            return null;
        }

        var generated = NotifySecret.New();
        warehouse.ProtectedNotifySecret = secretProtector.ProtectNotifySecret(generated);
        return generated;
    }

    private static WarehouseView WithGeneratedSecret(WarehouseView view, string? generated) =>
        generated is null || view.Notify is null ? view : view with { Notify = view.Notify with { Secret = generated } };

    private static string? KeptCredentials(IReadOnlyList<Subscription> previous, WarehouseDefinition.SubscriptionDefinition given) =>
        previous.FirstOrDefault(p => p.RepositoryUrl == given.Subscription.RepositoryUrl && p.ProtectedCredentials is not null)?.ProtectedCredentials;
    /// <summary>
    /// Lists each git-mode subscription given (with the credentials it will have) once, all at the same time, unless the
    /// definition says not to; a failure to list any is a validation failure carrying git's own (scrubbed) message.
    /// </summary>
    private async Task<ManagementFailure?> VerifyAsync(
        WarehouseDefinition definition,
        IEnumerable<(WarehouseDefinition.SubscriptionDefinition Subscription, GitCredentials? Credentials)> subscriptions,
        CancellationToken cancellationToken)
    {
        if (!definition.Verify)
        {
            return null;
        }

        var checks = subscriptions
            .Where(s => s.Subscription.Subscription.Discovery == DiscoveryMode.Git)
            .Select(async s =>
            {
                var position = s.Subscription.Subscription.Position;
                try
                {
                    await refLister.ListAsync(s.Subscription.Subscription.RepositoryUrl, s.Credentials, cancellationToken);
                    return (Position: position, Error: (string?)null);
                }
                catch (RefListingException e)
                {
                    return (Position: position, Error: e.Message);
                }
            })
            .ToList();
        var errors = (await Task.WhenAll(checks))
            .Where(check => check.Error is not null)
            .ToDictionary(
                check => $"subscriptions[{check.Position}].repoUrl",
                check => new[] { $"{check.Error} Fix the URL or the credentials, or send \"verify\": false to save it unchecked." });
        return errors.Count > 0 ? ManagementFailure.Invalid("git could not list the repository.", errors) : null;
    }

    /// <summary>
    /// Tells the repository grains of every repository whose subscriptions changed, and the warehouse itself, to reload.
    /// The change is committed by then; a grain that cannot be reached reloads on its own within a minute.
    /// </summary>
    private async Task InvalidateAsync(Guid warehouseId, IEnumerable<string> repositoryKeys, string project, string warehouse)
    {
        try
        {
            await Task.WhenAll(repositoryKeys.Distinct().Select(key => grains.GetGrain<IRepositoryGrain>(key).InvalidateAsync())
                .Append(grains.GetGrain<IWarehouseGrain>(warehouseId).InvalidateAsync()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.WarehouseInvalidationFailed(logger, e, project, warehouse);
        }
    }

    private static ManagementFailure WarehouseTaken(string project, string name) =>
        ManagementFailure.Conflict("Warehouse already exists", $"Project '{project}' already has a warehouse named '{name}'.");
}
