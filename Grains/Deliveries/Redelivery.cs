using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Webhooks.Grains.Persistence;
using Webhooks.Grains.Receivers;
using Webhooks.Grains.Refresh;

namespace Webhooks.Grains.Deliveries;

/// <summary>
/// Bitbucket's "Resend request" seen from our side, for the management API (<c>POST /api/deliveries/{id}/redeliver</c>)
/// and the dashboard's Redeliver button alike: the stored body of an accepted delivery is parsed again and routed to the
/// warehouses subscribed <em>now</em>, bypassing duplicate detection. The replay is a new delivery row of its own (same
/// body, headers, event, receiver; <c>RedeliveryOf</c> the original, <c>RedeliveredBy</c> the admin token, received now),
/// so the refresh requests it causes are its own and the original's history is left as it was. Warehouses that already
/// have the heads answer it deduplicated.
/// </summary>
public sealed partial class Redelivery(
    IDbContextFactory<WebhooksDbContext> dbFactory,
    DeliveryRouter router,
    TimeProvider clock,
    ILogger<Redelivery> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <param name="id">The delivery to replay.</param>
    /// <param name="requestedBy">The admin token that asks (its id), recorded on the new row.</param>
    /// <param name="requestedByName">The token's name, for the log.</param>
    /// <param name="remoteAddress">Where the request came from, recorded as the new row's remote address.</param>
    public async Task<RedeliveryResult> RedeliverAsync(
        Guid id, Guid? requestedBy, string? requestedByName, string? remoteAddress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var receivers = db.Receivers;
        var row = await db.Deliveries.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new
            {
                Delivery = d,
                Progress = db.Set<DeliveryProgress>().FirstOrDefault(p => p.DeliveryId == d.Id),
                ServerUrl = receivers.Where(r => r.Id == d.ReceiverId).Select(r => r.ServerUrl).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return RedeliveryResult.NotFound;
        }

        var original = row.Delivery;
        if (Unreplayable(original, row.Progress) is { } refusal)
        {
            return RedeliveryResult.Refused(refusal);
        }

        var parsed = StoredEvent.Parse(original.CompressedBody, original.Event, original.Source, row.ServerUrl);
        if (!parsed.Succeeded)
        {
            return RedeliveryResult.Refused($"Delivery {id} cannot be replayed: {parsed.Error}");
        }

        if (!DeliveryRouter.Routes(parsed.Event.Kind))
        {
            return RedeliveryResult.Refused(NotRouted(id));
        }

        var replay = new Delivery
        {
            ReceivedAt = Now(),
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
            RemoteAddress = remoteAddress,
            Outcome = DeliveryOutcome.Accepted,
            StatusCode = 202,
            RedeliveryOf = original.Id,
            RedeliveredBy = requestedBy,
        };
        var answer = new RedeliveryAnswer(replay.Id, original.Id, original.Event!, "accepted", null);
        // The warehouse count is the dispatch's (DeliveryProgress.Warehouses), shown with the recorded answer.
        replay.Answer = JsonSerializer.Serialize(answer, JsonOptions);
        replay.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        db.Deliveries.Add(replay);
        db.DeliveryProgress.Add(DeliveryLifecycle.Replay(replay));
        await db.SaveChangesAsync(cancellationToken);

        // Committed: from here on the replay is durable. Routing is bounded by RouteTimeout and not cancelled by a caller
        // who hangs up; a row it leaves accepted is routed by the sweeper, as for ingress.
        var warehouses = await router.TryRouteAsync(replay.Id, parsed.Event, CancellationToken.None);
        LogRedelivered(id, replay.Id, requestedByName, warehouses);
        return new RedeliveryResult(RedeliveryStatus.Redelivered, answer with { Warehouses = warehouses });
    }

    /// <summary>
    /// Why a delivery cannot be replayed through routing, judged from its row alone; null when it may be. The dashboard
    /// asks this to decide whether to offer the button at all.
    /// </summary>
    /// <param name="delivery">The delivery's history row.</param>
    /// <param name="progress">Its lifecycle row; null when nobody acted on it.</param>
    public static string? Unreplayable(Delivery delivery, DeliveryProgress? progress) => delivery.Outcome switch
    {
        DeliveryOutcome.Rejected =>
            $"Delivery {delivery.Id} was rejected ({delivery.StatusCode}): it was never trusted, so there is nothing to replay.",
        DeliveryOutcome.Duplicate =>
            $"Delivery {delivery.Id} repeated another one and was not acted on: redeliver the original ({OriginalOf(delivery.Answer)}).",
        DeliveryOutcome.Ignored or DeliveryOutcome.Pong =>
            $"Delivery {delivery.Id} was {delivery.Outcome.ToString().ToLowerInvariant()}: events of this kind are not routed to warehouses.",
        // Accepted, but ingress never routed it (a pull request, an ALM-only push): it was processed without a dispatch.
        _ when progress is null || (progress.DispatchedAt is null && progress.ProcessedAt is not null) => NotRouted(delivery.Id),
        _ when delivery.CompressedBody is null => $"Delivery {delivery.Id} has no stored body to replay.",
        _ => null,
    };

    private static string NotRouted(Guid id) =>
        $"Delivery {id} was not routed to warehouses (only pushes and mirror synchronisations are): there is nothing to replay.";

    /// <summary>A duplicate's answer names the delivery it repeats.</summary>
    private static string OriginalOf(string? duplicateAnswer)
    {
        if (duplicateAnswer is not null)
        {
            using var answer = JsonDocument.Parse(duplicateAnswer);
            if (answer.RootElement.TryGetProperty("deliveryId", out var original) && original.ValueKind == JsonValueKind.String)
            {
                return original.GetString()!;
            }
        }

        return "see its reason";
    }

    /// <summary>Now, truncated to PostgreSQL's microsecond precision so answers match what a later read returns.</summary>
    private DateTimeOffset Now()
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Redelivered delivery {DeliveryId} as {RedeliveryId} for token {Token}: {Warehouses} warehouse(s)")]
    private partial void LogRedelivered(Guid deliveryId, Guid redeliveryId, string? token, int? warehouses);
}
