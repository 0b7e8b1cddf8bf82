using Webhooks.Grains.Abstractions;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>A warehouse made by <see cref="RefreshCluster.CreateWarehouseAsync"/>.</summary>
public sealed record TestWarehouse(Guid Id, Guid SubscriptionId, string RepositoryKey, string ProbeUrl)
{
    /// <summary>A push of <paramref name="commit"/> to <c>main</c>, as the repository grain would ask for it.</summary>
    public RefreshTrigger Push(string commit, Guid? deliveryId = null) => new(
        RefreshReason.Push,
        deliveryId ?? Guid.NewGuid(),
        RepositoryKey,
        [new RequestedHead(SubscriptionId, RepositoryKey, "refs/heads/main", commit, $"Commit {commit[..7]}", "Dev Eloper <dev@example.com>")]);
}
