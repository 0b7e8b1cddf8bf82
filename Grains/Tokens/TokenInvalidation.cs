using Microsoft.Extensions.Logging;
using Webhooks.Grains.Management;

namespace Webhooks.Grains.Tokens;

/// <summary>
/// Makes every replica forget a revoked or deleted token, or a project's changed list of signing tokens. The change is
/// committed by then, so a failing cache is logged rather than turned into an error the caller could only answer by
/// repeating the change, and a caller who hangs up (or closes the page) does not cancel it.
/// </summary>
public sealed class TokenInvalidation(ApiTokenVerifier tokens, ILogger<TokenInvalidation> logger)
{
    /// <summary>Forgets a revoked or deleted token, and its project's list of signing tokens.</summary>
    public async Task TokenAsync(byte[] hash, string? project)
    {
        try
        {
            await tokens.InvalidateAsync(hash, project, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.TokenInvalidationFailed(logger, e);
        }
    }

    /// <summary>Forgets a project's list of signing tokens: a new webhook token counts at once.</summary>
    public async Task ProjectTokensAsync(string project)
    {
        try
        {
            await tokens.InvalidateProjectAsync(project, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.TokenInvalidationFailed(logger, e);
        }
    }
}
