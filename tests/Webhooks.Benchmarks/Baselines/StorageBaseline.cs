namespace Webhooks.Benchmarks.Baselines;

/// <summary>PostgreSQL's own rate for delivery-shaped rows, one row per transaction and batched.</summary>
public sealed record StorageBaseline(int Clients, double SingleRowPerSecond, int BatchSize, double BatchedRowsPerSecond);
