namespace Webhooks.AppHost.Hosting;

/// <summary>The stack cannot start; the message is the one line shown to the user (see <see cref="FailureMessages"/>).</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
