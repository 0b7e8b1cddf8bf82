namespace Webhooks.Dashboard.Cluster;

/// <summary>
/// A receiver replica that left or joined the cluster recently, as Orleans' membership table records it:
/// <see cref="Lost"/> when its silo was declared dead (at about <see cref="At"/>, its last "I am alive"), otherwise it
/// joined after the cluster's first silos (a restart or a replacement) at <see cref="At"/>.
/// </summary>
public sealed record ReplicaEvent(string Silo, string HostName, string Address, bool Lost, DateTimeOffset At, DateTimeOffset StartedAt);
