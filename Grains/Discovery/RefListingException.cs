namespace Webhooks.Grains.Discovery;

/// <summary>Listing a repository failed (unreachable, not found, refused credentials); the message holds no secret.</summary>
public sealed class RefListingException(string message, Exception? innerException = null) : Exception(message, innerException);
