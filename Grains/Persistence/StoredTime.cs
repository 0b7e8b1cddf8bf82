namespace Webhooks.Grains.Persistence;

/// <summary>Times as PostgreSQL keeps them.</summary>
public static class StoredTime
{
    /// <summary>Now, truncated to PostgreSQL's microsecond precision so an answer matches what a later read returns.</summary>
    public static DateTimeOffset Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % 10));
    }
}
