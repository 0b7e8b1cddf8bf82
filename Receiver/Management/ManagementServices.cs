using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Persistence;

namespace Webhooks.Receiver.Management;

/// <summary>The services the delivery-history endpoints share, bound with <c>[AsParameters]</c>.</summary>
internal sealed record ManagementServices(
    [FromServices] WebhooksDbContext Db,
    [FromServices] TimeProvider Clock,
    [FromServices] ILogger<ManagementServices> Logger)
{
    /// <summary>Now, as PostgreSQL will store it.</summary>
    public DateTimeOffset Now() => StoredTime.Now(Clock);
}
