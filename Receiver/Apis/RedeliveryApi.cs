using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Webhooks.Grains.Deliveries;
using Webhooks.Receiver.Management;

namespace Webhooks.Receiver.Apis;

/// <summary>
/// <c>POST /api/deliveries/{id}/redeliver</c>: the HTTP face of <see cref="Redelivery"/>, which the dashboard's
/// Redeliver button uses too.
/// </summary>
internal static class RedeliveryApi
{
    public static async Task<Results<Accepted<RedeliveryAnswer>, ProblemHttpResult>> RedeliverAsync(
        Guid id,
        ClaimsPrincipal user,
        HttpContext context,
        [FromServices] Redelivery redelivery,
        CancellationToken cancellationToken)
    {
        var result = await redelivery.RedeliverAsync(
            id,
            Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var tokenId) ? tokenId : null,
            user.Identity?.Name,
            context.Connection.RemoteIpAddress?.ToString(),
            cancellationToken);
        return result switch
        {
            { Status: RedeliveryStatus.Redelivered, Answer: { } answer } => TypedResults.Accepted($"/api/deliveries/{answer.DeliveryId}", answer),
            { Status: RedeliveryStatus.NotFound } => ManagementProblems.DeliveryNotFound(id),
            _ => ManagementProblems.Conflict("Delivery cannot be redelivered", result.Refusal ?? $"Delivery {id} cannot be replayed."),
        };
    }
}
