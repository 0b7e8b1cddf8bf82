namespace Webhooks.Grains.Deliveries;

/// <summary>
/// One request to an ingress endpoint, whatever its fate: the delivery history. Accepted rows are committed
/// before ingress answers 2xx. Written once and never updated: what became of it is in <see cref="DeliveryProgress"/>
/// (<see cref="DeliveryLifecycle"/>).
/// </summary>
public sealed class Delivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public DateTimeOffset ReceivedAt { get; set; }

    public Guid? ProjectId { get; set; }

    public Guid? ReceiverId { get; set; }

    public Guid? TokenId { get; set; }

    /// <summary><c>cloud</c>, <c>datacenter</c> or <c>unknown</c>, told apart by the request headers.</summary>
    public required string Source { get; set; }

    /// <summary>The <c>X-Event-Key</c> header, when present.</summary>
    public string? Event { get; set; }

    /// <summary>Bitbucket's delivery id: <c>X-Request-UUID</c> (Cloud) or <c>X-Request-Id</c> (Data Center).</summary>
    public string? RequestId { get; set; }

    /// <summary>
    /// Set only on the row that owns a delivery (scope + request id), so a unique index makes PostgreSQL the
    /// final judge of duplicates; null on duplicate and rejected rows.
    /// </summary>
    public string? DedupeKey { get; set; }

    public int? AttemptNumber { get; set; }

    public DeliveryOutcome Outcome { get; set; }

    public int StatusCode { get; set; }

    /// <summary>Why the request was rejected or ignored, in words safe to show (never a secret).</summary>
    public string? Reason { get; set; }

    public Dictionary<string, string> Headers { get; set; } = [];

    public byte[]? BodySha256 { get; set; }

    public int BodySize { get; set; }

    /// <summary>The raw body, Brotli-compressed; kept for accepted and ignored deliveries only.</summary>
    public byte[]? CompressedBody { get; set; }

    /// <summary>The JSON body of the answer ingress gave.</summary>
    public string? Answer { get; set; }

    public string? RepositoryKey { get; set; }

    public string? RemoteAddress { get; set; }

    public double DurationMs { get; set; }

    /// <summary>
    /// Set on a row made by <c>POST /api/deliveries/{id}/redeliver</c>: the delivery whose stored body it replays
    /// through routing. Such a row has its own id, so the refresh requests it causes are its own.
    /// </summary>
    public Guid? RedeliveryOf { get; set; }

    /// <summary>The admin token that asked for the redelivery; null on what Bitbucket sent.</summary>
    public Guid? RedeliveredBy { get; set; }
}
