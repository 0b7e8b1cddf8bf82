using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Persistence;
using Webhooks.IntegrationTests.Infrastructure;

namespace Webhooks.IntegrationTests.Ingress;

/// <summary>A Receiver on real PostgreSQL and Redis with one project; helpers to read the delivery history.</summary>
public abstract class IngressTestBase(StorageFixture storage, string databasePrefix) : IAsyncLifetime
{
    protected ReceiverFactory Factory { get; } = new(storage, databasePrefix);

    protected HttpClient Client { get; private set; } = null!;

    protected HttpClient Admin { get; private set; } = null!;

    public virtual Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        Admin = Factory.CreateAdminClient();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await Factory.DisposeAsync();
    }

    protected async Task<List<Delivery>> DeliveriesAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        return await db.Deliveries.AsNoTracking().OrderBy(d => d.ReceivedAt).ToListAsync();
    }

    protected async Task<Delivery> DeliveryAsync(Guid id)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        return await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id);
    }

    /// <summary>What became of the delivery (derived from its lifecycle), as the API and dashboard show it; null when nobody acts on it.</summary>
    protected async Task<DeliveryState?> StateAsync(Guid id)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebhooksDbContext>();
        return await db.DeliveryStatus.Where(s => s.DeliveryId == id).Select(s => (DeliveryState?)s.State).FirstOrDefaultAsync();
    }

    /// <summary>Rejections are written in the background: wait until <paramref name="count"/> rows exist.</summary>
    protected Task<List<Delivery>> DeliveriesWhenAsync(Func<List<Delivery>, bool> done, string what) =>
        Poll.UntilAsync(DeliveriesAsync, done, what);
}
