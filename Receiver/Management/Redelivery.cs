using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Webhooks.Grains.Deliveries;
using Webhooks.Receiver.Management.Contracts;
using Webhooks.Receiver.Routing;

namespace Webhooks.Receiver.Management;

/// <summary>
/// <c>POST /api/deliveries/{id}/redeliver</c>, Bitbucket's "Resend request" seen from our side: the stored body of an
/// accepted delivery is parsed again and routed to the warehouses subscribed <em>now</em>, bypassing duplicate
/// detection. The replay is a new delivery row of its own (same body, headers, event, receiver; <c>redeliveryOf</c>
/// the original, <c>redeliveredBy</c> the admin token, received now), so the refresh requests it causes are its own
/// and the original's history is left as it was. Warehouses that already have the heads answer it deduplicated.
/// </summary>
internal static partial class Redelivery
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static async Task<Results<Accepted<RedeliveryAnswer>, ProblemHttpResult>> RedeliverAsync(
        Guid id,
        ClaimsPrincipal user,
        HttpContext context,
        [AsParameters] ManagementServices services,
        [FromServices] DeliveryRouter router,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var db = services.Db;
        var receivers = db.Receivers;
        var row = await db.Deliveries.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new
            {
                Delivery = d,
                ServerUrl = receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.ServerUrl).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return ManagementProblems.DeliveryNotFound(id);
        }

        var original = row.Delivery;
        if (Unreplayable(original) is { } refusal)
        {
            return refusal;
        }

        var parsed = StoredEvent.Parse(original.CompressedBody, original.Event, original.Source, row.ServerUrl);
        if (!parsed.Succeeded)
        {
            return ManagementProblems.Conflict("Delivery cannot be redelivered", $"Delivery {id} cannot be replayed: {parsed.Error}");
        }

        if (!DeliveryRouter.Routes(parsed.Event.Kind))
        {
            return NotRouted(id);
        }

        var now = services.Now();
        var replay = new Delivery
        {
            ReceivedAt = now,
            ProjectId = original.ProjectId,
            ReceiverId = original.ReceiverId,
            TokenId = original.TokenId,
            Source = original.Source,
            Event = original.Event,
            // Bitbucket's id of the delivery being replayed, as GitHub keeps the GUID of a redelivered hook. No dedupe
            // key: the replay owns no Bitbucket delivery id, and must never make a later genuine retry look new.
            RequestId = original.RequestId,
            Headers = original.Headers,
            BodySha256 = original.BodySha256,
            BodySize = original.BodySize,
            CompressedBody = original.CompressedBody,
            RepositoryKey = original.RepositoryKey,
            RemoteAddress = context.Connection.RemoteIpAddress?.ToString(),
            Outcome = DeliveryOutcome.Accepted,
            State = DeliveryState.Accepted,
            StatusCode = StatusCodes.Status202Accepted,
            RedeliveryOf = original.Id,
            RedeliveredBy = Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var tokenId) ? tokenId : null,
        };
        var answer = new RedeliveryAnswer(replay.Id, original.Id, original.Event!, "accepted", null);
        // The repository grain writes the warehouse count into this recorded answer when it routes the row.
        replay.Answer = JsonSerializer.Serialize(answer, JsonOptions);
        replay.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        db.Deliveries.Add(replay);
        await db.SaveChangesAsync(cancellationToken);

        // Committed: from here on the replay is durable. Routing is bounded by RouteTimeout and not cancelled by a caller
        // who hangs up; a row it leaves accepted is routed by the sweeper, as for ingress.
        var warehouses = await router.TryRouteAsync(replay.Id, parsed.Event, CancellationToken.None);
        LogRedelivered(services.Logger, id, replay.Id, user.Identity?.Name, warehouses);
        return TypedResults.Accepted($"/api/deliveries/{replay.Id}", answer with { Warehouses = warehouses });
    }

    /// <summary>Why a delivery cannot be replayed through routing, judged from its row alone; null when it may be.</summary>
    private static ProblemHttpResult? Unreplayable(Delivery delivery) => delivery.Outcome switch
    {
        DeliveryOutcome.Rejected => ManagementProblems.Conflict(
            "Delivery cannot be redelivered",
            $"Delivery {delivery.Id} was rejected ({delivery.StatusCode}): it was never trusted, so there is nothing to replay."),
        DeliveryOutcome.Duplicate => ManagementProblems.Conflict(
            "Delivery cannot be redelivered",
            $"Delivery {delivery.Id} repeated another one and was not acted on: redeliver the original ({OriginalOf(delivery)})."),
        DeliveryOutcome.Ignored or DeliveryOutcome.Pong => ManagementProblems.Conflict(
            "Delivery cannot be redelivered",
            $"Delivery {delivery.Id} was {delivery.Outcome.ToString().ToLowerInvariant()}: events of this kind are not routed to warehouses."),
        // Accepted, but ingress never routed it (a pull request, an ALM-only push): it was processed without a dispatch.
        _ when delivery.DispatchedAt is null && delivery.State is not DeliveryState.Accepted => NotRouted(delivery.Id),
        _ when delivery.CompressedBody is null => ManagementProblems.Conflict(
            "Delivery cannot be redelivered", $"Delivery {delivery.Id} has no stored body to replay."),
        _ => null,
    };

    private static ProblemHttpResult NotRouted(Guid id) =>
        ManagementProblems.Conflict(
            "Delivery cannot be redelivered",
            $"Delivery {id} was not routed to warehouses (only pushes and mirror synchronisations are): there is nothing to replay.");

    /// <summary>A duplicate's answer names the delivery it repeats.</summary>
    private static string OriginalOf(Delivery duplicate)
    {
        if (duplicate.Answer is not null)
        {
            using var answer = JsonDocument.Parse(duplicate.Answer);
            if (answer.RootElement.TryGetProperty("deliveryId", out var original) && original.ValueKind == JsonValueKind.String)
            {
                return original.GetString()!;
            }
        }

        return "see its reason";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivered delivery {DeliveryId} as {RedeliveryId} for token {Token}: {Warehouses} warehouse(s)")]
    private static partial void LogRedelivered(ILogger logger, Guid deliveryId, Guid redeliveryId, string? token, int? warehouses);
}
