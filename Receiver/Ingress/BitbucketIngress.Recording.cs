using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Webhooks.Grains.Deliveries;
using Webhooks.Grains.Events;
using Webhooks.Grains.Refresh;
using Webhooks.Receiver.Ingress.Recording;

namespace Webhooks.Receiver.Ingress;

/// <summary>The steps after the checks: dedupe and commit the history row in one round trip, then route the event.</summary>
internal sealed partial class BitbucketIngress
{
    /// <summary>
    /// Dedupe and record steps, one round trip: the row is committed (202, its lifecycle started), or it repeats a
    /// delivery already recorded, by id or by body (200 duplicate, itself recorded as such), or storage failed (503).
    /// </summary>
    private async Task<(IngressResponse Response, bool Routed)> RecordAsync(
        IngressTarget target, BitbucketEvent bitbucketEvent, Delivery delivery, long started, CancellationToken cancellationToken)
    {
        var acted = bitbucketEvent.Kind is BitbucketEventKind.Push or BitbucketEventKind.MirrorSynchronized or BitbucketEventKind.PullRequest;
        var routed = target.FollowUp == IngressFollowUp.RouteAndLinkWhenEnabled && DeliveryRouter.Routes(bitbucketEvent.Kind);
        delivery.DedupeKey = DeliveryLifecycle.DedupeKey(target.Scope, delivery.RequestId, delivery.BodySha256!);
        // The warehouse count is unknown until routing; the dispatch records it with the delivery's progress.
        var answer = new IngressAnswer(delivery.Id, delivery.Event, acted ? "accepted" : "ignored", acted && !routed ? 0 : null);
        var (response, recorded) = await CommitAsync(new NewDelivery(delivery, DeliveryLifecycle.Start(acted, routed), target.Scope), started,
            acted ? DeliveryOutcome.Accepted : DeliveryOutcome.Ignored, StatusCodes.Status202Accepted, answer, cancellationToken);
        if (recorded?.Outcome == RecordOutcome.Duplicate)
        {
            var original = recorded.Value.Original ?? await OwnerAsync(delivery.DedupeKey, cancellationToken) ?? Guid.Empty;
            return (await DuplicateAsync(delivery, started, original, cancellationToken), false);
        }

        if (recorded is null)
        {
            return (response, false);
        }

        // Linking commits to ALM issues happens in the background, after the commit, never delaying the answer.
        commitLinks.Enqueue(delivery.Id, target.ProjectId, always: target.FollowUp == IngressFollowUp.LinkOnly, bitbucketEvent);
        return (response, routed);
    }

    /// <summary>
    /// Route and answer steps: one grain call, bounded, that only counts the matching warehouses from the repository
    /// grain's cached subscriptions; asking them and marking the delivery dispatched happen after the answer, batched.
    /// The row is committed, so whatever happens here the answer stays 202; a delivery whose dispatch is lost (a crash,
    /// a timeout) stays accepted and the sweeper dispatches it (its answer then has no warehouse count).
    /// </summary>
    private async Task<IngressResponse> RouteAsync(Delivery delivery, BitbucketEvent bitbucketEvent, IngressResponse accepted)
    {
        var warehouses = await router.TryAcceptAsync(delivery.Id, bitbucketEvent, CancellationToken.None);
        return IngressResponse.Success(StatusCodes.Status202Accepted, (IngressAnswer)accepted.Body with { Warehouses = warehouses });
    }

    private static bool IsStorageFailure(Exception exception) =>
        exception is DbException or RetryLimitExceededException or TimeoutException or OperationCanceledException;

    private async Task<Guid?> OwnerAsync(string dedupeKey, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await DeliveryLifecycle.OwnerAsync(db, dedupeKey, cancellationToken);
    }

    private async Task<IngressResponse> DuplicateAsync(Delivery delivery, long started, Guid original, CancellationToken cancellationToken)
    {
        // The repeat's own history row: a new id, owning no dedupe key and starting no lifecycle.
        delivery.Id = Guid.CreateVersion7();
        delivery.DedupeKey = null;
        delivery.Reason = $"Repeats delivery {original}.";
        var (response, _) = await CommitAsync(new NewDelivery(delivery, State: null, Scope: null), started, DeliveryOutcome.Duplicate,
            StatusCodes.Status200OK, new IngressAnswer(original, null, "duplicate", null), cancellationToken);
        return response;
    }

    /// <summary>
    /// Commits the row and only then answers 2xx; 503 when the database cannot commit in time (Bitbucket Cloud
    /// retries 5xx). <c>Recorded</c> is null when nothing was committed.
    /// </summary>
    private async Task<(IngressResponse Response, Recorded? Recorded)> CommitAsync(
        NewDelivery row, long started, DeliveryOutcome outcome, int statusCode, IngressAnswer answer, CancellationToken cancellationToken)
    {
        var delivery = row.Row;
        var response = IngressResponse.Success(statusCode, answer);
        delivery.Outcome = outcome;
        delivery.StatusCode = statusCode;
        delivery.Answer = response.Json;
        delivery.DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.CommitTimeout);
            return (response, await recorder.RecordAsync(row, timeout.Token));
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            LogCommitFailed(delivery.Id, exception.Message);
            return (IngressResponse.Problem(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                "The delivery could not be stored; it was not accepted. Retry later.", delivery.Id), null);
        }
    }
}
