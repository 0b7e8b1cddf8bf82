namespace Webhooks.Dashboard;

/// <summary>
/// Names the Dashboard's assembly for <c>WebApplicationFactory&lt;T&gt;</c> in tests (the Receiver and the AppHost
/// have a <c>Program</c> too, and test projects reference all three).
/// </summary>
public sealed class DashboardEntryPoint;
