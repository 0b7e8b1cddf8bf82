namespace Webhooks.Grains.Refresh;

/// <summary>One run of a warehouse's discovery; never two of one warehouse at once.</summary>
public sealed class RefreshRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid WarehouseId { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public RefreshStatus Status { get; set; }

    /// <summary>How many requests this run handled.</summary>
    public int Requests { get; set; }

    /// <summary>Requests merged into this run beyond the first: <see cref="Requests"/> − 1.</summary>
    public int Coalesced { get; set; }

    public int NewFreight { get; set; }

    /// <summary>Why discovery failed, in words safe to show.</summary>
    public string? Error { get; set; }
}
