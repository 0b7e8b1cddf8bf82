using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Management;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Projects;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// Receivers: a project's Bitbucket webhook endpoints, for the management API and the dashboard alike. A secret leaves
/// only in the answer to a create or rotate and in the webhook data; everything else shows whether there is one.
/// <c>requestBaseUrl</c> is where the caller reached the service (the API's request), used for URLs when
/// <c>Webhooks:PublicBaseUrl</c> is not set; the dashboard passes null.
/// </summary>
public sealed class ReceiverCatalog(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    ReceiverSecretProtector protector,
    ReceiverUrls urls,
    ReceiverInvalidation invalidation,
    TimeProvider clock,
    ILogger<ReceiverCatalog> logger)
{
    /// <summary>Short enough to type, long enough that guessing it (offline, from one signed delivery) is hopeless.</summary>
    public const int MinSecretLength = 16;

    public const int MaxSecretLength = 128;

    public const int MaxDescriptionLength = 1000;

    public static readonly string SecretRule =
        $"A secret needs at least {MinSecretLength} characters (shorter ones can be guessed from a signed delivery) and at most {MaxSecretLength} (Bitbucket's limit); leave it out to have one generated.";

    /// <summary>Whether a secret given by a user meets <see cref="SecretRule"/>.</summary>
    public static bool IsValidSecret(string secret) => secret.Length is >= MinSecretLength and <= MaxSecretLength;

    public async Task<ManagementResult<CreatedReceiver>> CreateAsync(
        string project, CreateReceiverRequest request, string? requestBaseUrl, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ResourceName.IsValid(request.Name))
        {
            errors["name"] = [ResourceName.Rule];
        }

        if (request.Secret is { } given && !IsValidSecret(given))
        {
            errors["secret"] = [SecretRule];
        }

        var serverUrl = NormaliseServerUrl(request.ServerUrl, errors);
        var allowedNetworks = AllowedNetworks.Normalize(request.AllowedNetworks, errors);
        var description = NormaliseDescription(request.Description, errors);
        if (errors.Count > 0)
        {
            return ManagementFailure.Invalid("The receiver is not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var name = request.Name!;
        if (await db.Receivers.AnyAsync(r => r.ProjectId == projectId && r.Name == name, cancellationToken))
        {
            return ReceiverTaken(project, name);
        }

        var secret = request.Secret ?? ReceiverSecrets.NewSecret();
        var now = StoredTime.Now(clock);
        var receiver = new Receiver
        {
            ProjectId = projectId.Value,
            Name = name,
            Path = ReceiverSecrets.NewPath(),
            ProtectedSecret = protector.Protect(secret),
            ServerUrl = serverUrl,
            AllowedNetworks = allowedNetworks,
            Description = description,
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

        ManagementLog.ReceiverCreated(logger, project, name, request.Secret is null);
        return new CreatedReceiver(name, urls.For(requestBaseUrl, receiver.Path), secret, serverUrl, allowedNetworks, now, description);
    }

    /// <summary>A project's receivers by name with their URLs and last delivery, never their secrets.</summary>
    public async Task<ManagementResult<List<ReceiverView>>> ListAsync(string project, string? requestBaseUrl, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var rows = await SelectRows(db, db.Receivers.Where(r => r.ProjectId == projectId).OrderBy(r => r.Name)).ToListAsync(cancellationToken);
        return rows.Select(row => row.ToView(urls.For(requestBaseUrl, row.Path))).ToList();
    }

    public async Task<ManagementResult<ReceiverView>> GetAsync(string project, string name, string? requestBaseUrl, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return ManagementFailure.ProjectNotFound(project);
        }

        var row = await SelectRows(db, db.Receivers.Where(r => r.ProjectId == projectId && r.Name == name)).FirstOrDefaultAsync(cancellationToken);
        return row is null ? ManagementFailure.ReceiverNotFound(project, name) : row.ToView(urls.For(requestBaseUrl, row.Path));
    }

    /// <summary>What to paste into Bitbucket: URL, secret (decrypted here), content type, events and steps.</summary>
    public async Task<ManagementResult<WebhookData>> GetWebhookDataAsync(string project, string name, string? requestBaseUrl, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (receiver, notFound) = await FindAsync(db, project, name, tracked: false, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        return WebhookSetupGuide.For(urls.For(requestBaseUrl, receiver.Path), protector.Unprotect(receiver.ProtectedSecret), receiver.ServerUrl);
    }

    /// <summary>Replaces the secret; the old one keeps verifying for the grace period (default 24 h, 0 = not at all).</summary>
    public async Task<ManagementResult<RotatedSecret>> RotateSecretAsync(
        string project, string name, RotateSecretRequest? request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Secret is { } given && !IsValidSecret(given))
        {
            errors["secret"] = [SecretRule];
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
        var (receiver, notFound) = await FindAsync(db, project, name, tracked: true, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        var secret = request?.Secret ?? ReceiverSecrets.NewSecret();
        var now = StoredTime.Now(clock);
        var previousValidUntil = now + gracePeriod;
        // A zero grace period drops the old secret outright rather than keeping one that is never valid.
        receiver.ProtectedPreviousSecret = gracePeriod > TimeSpan.Zero ? receiver.ProtectedSecret : null;
        receiver.PreviousSecretValidUntil = previousValidUntil;
        receiver.ProtectedSecret = protector.Protect(secret);
        receiver.SecretRotatedAt = now;
        receiver.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await invalidation.ReceiverAsync(receiver.Path, project);

        ManagementLog.SecretRotated(logger, project, name, previousValidUntil);
        return new RotatedSecret(secret, previousValidUntil);
    }

    /// <summary>
    /// Replaces the networks deliveries may come from (empty: any address); every replica applies the change at once.
    /// </summary>
    public async Task<ManagementResult<ReceiverView>> SetAllowedNetworksAsync(
        string project, string name, AllowedNetworksRequest? request, string? requestBaseUrl, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var allowedNetworks = AllowedNetworks.Normalize(request?.AllowedNetworks, errors);
        if (errors.Count > 0)
        {
            return ManagementFailure.Invalid("The allowed networks are not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (receiver, notFound) = await FindAsync(db, project, name, tracked: true, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        receiver.AllowedNetworks = allowedNetworks;
        receiver.UpdatedAt = StoredTime.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        await invalidation.ReceiverAsync(receiver.Path, project);

        ManagementLog.AllowedNetworksSet(logger, project, name, allowedNetworks.Count);
        return await GetAsync(project, name, requestBaseUrl, cancellationToken);
    }

    /// <summary>
    /// Edits what a receiver is besides its URL and secret (so Bitbucket keeps delivering): server URL, allowed networks
    /// and description; what <paramref name="request"/> leaves out (null) stays, <c>""</c> clears. Every replica applies
    /// the change at once.
    /// </summary>
    public async Task<ManagementResult<ReceiverView>> UpdateAsync(
        string project, string name, UpdateReceiverRequest request, string? requestBaseUrl, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var serverUrl = NormaliseServerUrl(request.ServerUrl, errors);
        var allowedNetworks = request.AllowedNetworks is null ? null : AllowedNetworks.Normalize(request.AllowedNetworks, errors);
        var description = NormaliseDescription(request.Description, errors);
        if (errors.Count > 0)
        {
            return ManagementFailure.Invalid("The receiver is not valid.", errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (receiver, notFound) = await FindAsync(db, project, name, tracked: true, cancellationToken);
        if (receiver is null)
        {
            return notFound!;
        }

        if (request.ServerUrl is not null)
        {
            receiver.ServerUrl = serverUrl;
        }

        if (allowedNetworks is not null)
        {
            receiver.AllowedNetworks = allowedNetworks;
        }

        if (request.Description is not null)
        {
            receiver.Description = description;
        }

        receiver.UpdatedAt = StoredTime.Now(clock);
        await db.SaveChangesAsync(cancellationToken);
        await invalidation.ReceiverAsync(receiver.Path, project);

        ManagementLog.ReceiverUpdated(logger, project, name);
        return await GetAsync(project, name, requestBaseUrl, cancellationToken);
    }

    /// <summary>Deletes a receiver; its URL stops working on every replica at once. Null when done.</summary>
    public async Task<ManagementFailure?> DeleteAsync(string project, string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (receiver, notFound) = await FindAsync(db, project, name, tracked: true, cancellationToken);
        if (receiver is null)
        {
            return notFound;
        }

        db.Receivers.Remove(receiver);
        await db.SaveChangesAsync(cancellationToken);
        await invalidation.ReceiverAsync(receiver.Path, project);

        ManagementLog.ReceiverDeleted(logger, project, name);
        return null;
    }

    private static Task<Guid?> ProjectIdAsync(WebhooksDbContext db, string project, CancellationToken cancellationToken) =>
        db.Projects.Where(p => p.Name == project).Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);

    private static async Task<(Receiver? Receiver, ManagementFailure? NotFound)> FindAsync(
        WebhooksDbContext db, string project, string name, bool tracked, CancellationToken cancellationToken)
    {
        var projectId = await ProjectIdAsync(db, project, cancellationToken);
        if (projectId is null)
        {
            return (null, ManagementFailure.ProjectNotFound(project));
        }

        var receivers = tracked ? db.Receivers : db.Receivers.AsNoTracking();
        var receiver = await receivers.FirstOrDefaultAsync(r => r.ProjectId == projectId && r.Name == name, cancellationToken);
        return receiver is null ? (null, ManagementFailure.ReceiverNotFound(project, name)) : (receiver, null);
    }

    /// <summary>
    /// Receivers as listed, with the time of each one's last delivery in the same statement (the deliveries index on
    /// receiver and time answers it); the protected secrets are not even read.
    /// </summary>
    private static IQueryable<ReceiverRow> SelectRows(WebhooksDbContext db, IQueryable<Receiver> receivers)
    {
        var deliveries = db.Deliveries;
        return receivers.Select(r => new ReceiverRow(
            r.Name,
            r.Path,
            r.ServerUrl,
            r.ProtectedSecret != null,
            r.CreatedAt,
            r.SecretRotatedAt,
            r.PreviousSecretValidUntil,
            deliveries.Where(d => d.ReceiverId == r.Id).Max(d => (DateTimeOffset?)d.ReceivedAt),
            r.AllowedNetworks,
            r.Description,
            r.UpdatedAt));
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

    private static string? NormaliseDescription(string? description, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return null;
        }

        if (description.Length > MaxDescriptionLength || description.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors["description"] = [$"Use at most {MaxDescriptionLength} characters, without control characters."];
            return null;
        }

        return description.Trim();
    }

    private static ManagementFailure ReceiverTaken(string project, string name) =>
        ManagementFailure.Conflict("Receiver already exists", $"Project '{project}' already has a receiver named '{name}'.");

    private sealed record ReceiverRow(
        string Name,
        string Path,
        string? ServerUrl,
        bool HasSecret,
        DateTimeOffset CreatedAt,
        DateTimeOffset? SecretRotatedAt,
        DateTimeOffset? PreviousSecretValidUntil,
        DateTimeOffset? LastDeliveryAt,
        List<string> AllowedNetworks,
        string? Description,
        DateTimeOffset UpdatedAt)
    {
        public ReceiverView ToView(string url) => new(
            Name,
            url,
            ServerUrl,
            HasSecret,
            SecretRotatedAt,
            PreviousSecretValidUntil,
            CreatedAt,
            LastDeliveryAt,
            AllowedNetworks,
            Description,
            UpdatedAt);
    }
}
