namespace Webhooks.Grains.Notifications;

/// <summary>A notify target refused by <see cref="PrivateNetworkGuard"/>: a setting, not a passing failure, so never retried.</summary>
public sealed class PrivateNetworkRefusedException(string message) : IOException(message);
