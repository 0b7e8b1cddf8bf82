using Webhooks.Grains.Abstractions;

namespace Webhooks.Grains.Refresh;

/// <summary>
/// How a <see cref="RefreshRequest"/> ended: written once, by the pass that completed it (in the transaction that takes
/// it off the queue) or by intake for a request with nothing to do, and never updated. A request has an outcome
/// exactly when it has no <see cref="QueuedRequest"/>. Kept apart from the request so that a completion is an insert at
/// the end of a small table rather than a second version of the request's row: as an UPDATE, two thirds of
/// completions wrote a new version with an entry in each of the requests' indexes, which autovacuum then had to find
/// and remove (docs/benchmarks.md, step 13).
/// </summary>
public sealed class RefreshOutcome
{
    public Guid RequestId { get; set; }

    /// <summary>The refresh that handled the request; null when none had to (deduplicated, superseded, abandoned).</summary>
    public Guid? RefreshId { get; set; }

    public RefreshRequestOutcome Outcome { get; set; }

    public DateTimeOffset CompletedAt { get; set; }

    /// <summary>The outcome <paramref name="request"/> was completed with (its <see cref="RefreshRequest.Outcome"/> is set).</summary>
    public static RefreshOutcome Of(RefreshRequest request) => new()
    {
        RequestId = request.Id,
        RefreshId = request.RefreshId,
        Outcome = request.Outcome ?? throw new ArgumentException("The request is not completed.", nameof(request)),
        CompletedAt = request.CompletedAt ?? throw new ArgumentException("The request is not completed.", nameof(request)),
    };
}
