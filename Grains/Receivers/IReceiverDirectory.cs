namespace Webhooks.Grains.Receivers;

/// <summary>
/// Finds a receiver by its URL path for ingress, through a two-level cache (memory, then Redis, then PostgreSQL).
/// The management API calls <see cref="InvalidateAsync"/> after any change so that rotation and deletion take
/// effect on every replica within seconds.
/// </summary>
public interface IReceiverDirectory
{
    /// <summary>The receiver at <paramref name="path"/>, or null when there is none.</summary>
    ValueTask<ReceiverEntry?> FindAsync(string path, CancellationToken cancellationToken);

    /// <summary>Forgets what is cached for <paramref name="path"/>, here and on every other replica.</summary>
    ValueTask InvalidateAsync(string path, CancellationToken cancellationToken);
}
