using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Tokens;
using Webhooks.Receiver.Receivers;

namespace Webhooks.Receiver.Management;

/// <summary>The services the management endpoints share, bound with <c>[AsParameters]</c>.</summary>
internal sealed record ManagementServices(
    [FromServices] WebhooksDbContext Db,
    [FromServices] IReceiverDirectory Directory,
    [FromServices] ReceiverSecretProtector Protector,
    [FromServices] ReceiverUrls Urls,
    [FromServices] TimeProvider Clock,
    [FromServices] ILogger<ManagementServices> Logger,
    [FromServices] ApiTokenVerifier Tokens)
{
    /// <summary>Now, truncated to PostgreSQL's microsecond precision so answers match what a later read returns.</summary>
    public DateTimeOffset Now()
    {
        var now = Clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    /// <summary>
    /// Makes ingress forget a changed or deleted receiver on every replica. The change is committed by then, so a
    /// failing cache is logged rather than turned into an error the caller could only answer by repeating the change,
    /// and a caller who hangs up does not cancel it.
    /// </summary>
    public async Task InvalidateReceiverAsync(string path, string project)
    {
        try
        {
            await Directory.InvalidateAsync(path, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.InvalidationFailed(Logger, e, project);
        }
    }

    /// <summary>Makes every replica forget a revoked or deleted token; failures are logged, as for receivers.</summary>
    public async Task InvalidateTokenAsync(byte[] hash, string? project)
    {
        try
        {
            await Tokens.InvalidateAsync(hash, project, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.TokenInvalidationFailed(Logger, e);
        }
    }
}
