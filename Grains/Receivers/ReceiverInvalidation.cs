using Microsoft.Extensions.Logging;
using Webhooks.Grains.Management;

namespace Webhooks.Grains.Receivers;

/// <summary>
/// Makes every replica forget a changed or deleted receiver. The change is committed by then, so a failing cache is
/// logged rather than turned into an error the caller could only answer by repeating the change, and a caller who hangs
/// up (or closes the page) does not cancel it.
/// </summary>
public sealed class ReceiverInvalidation(IReceiverDirectory directory, ILogger<ReceiverInvalidation> logger)
{
    public async Task ReceiverAsync(string path, string project)
    {
        try
        {
            await directory.InvalidateAsync(path, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.InvalidationFailed(logger, e, project);
        }
    }
}
