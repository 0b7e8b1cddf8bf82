namespace Webhooks.Receiver;

/// <summary>
/// Names the Receiver's assembly for <c>WebApplicationFactory&lt;T&gt;</c> in tests. (The generated <c>Program</c>
/// is kept internal: the AppHost has a public <c>Program</c> too, and test projects reference both.)
/// </summary>
public sealed class ReceiverEntryPoint;
