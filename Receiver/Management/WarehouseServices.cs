using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Webhooks.Grains.Refresh;
using Webhooks.Grains.Warehouses;

namespace Webhooks.Receiver.Management;

/// <summary>What the warehouse endpoints need beyond <see cref="ManagementServices"/>: the grains and secret protection.</summary>
internal sealed record WarehouseServices(
    [FromServices] IGrainFactory Grains,
    [FromServices] WarehouseSecretProtector SecretProtector,
    [FromServices] IOptions<RefreshOptions> RefreshOptions)
{
    /// <summary>
    /// Tells the repository grains of every repository whose subscriptions changed, and the warehouse itself, to reload.
    /// The change is committed by then; a grain that cannot be reached reloads on its own within a minute.
    /// </summary>
    public async Task InvalidateAsync(Guid warehouseId, IEnumerable<string> repositoryKeys, ILogger logger, string project, string warehouse)
    {
        try
        {
            await Task.WhenAll(repositoryKeys.Distinct().Select(key => Grains.GetGrain<IRepositoryGrain>(key).InvalidateAsync())
                .Append(Grains.GetGrain<IWarehouseGrain>(warehouseId).InvalidateAsync()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ManagementLog.WarehouseInvalidationFailed(logger, e, project, warehouse);
        }
    }
}
