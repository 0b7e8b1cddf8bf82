namespace Webhooks.Benchmarks.Soak;

/// <summary>The receiver process's memory at one moment: resident set (from /proc) and managed GC heap (runtime counter), in MiB.</summary>
public sealed record ProcessSample(double Seconds, double RssMib, double GcHeapMib);
