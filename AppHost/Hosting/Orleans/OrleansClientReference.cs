namespace Webhooks.AppHost.Hosting.Orleans;

/// <summary>A reference to a cluster as a client only (Aspire's <c>orleans.AsClient()</c>): no silo ports.</summary>
public sealed record OrleansClientReference(OrleansResource Cluster);
