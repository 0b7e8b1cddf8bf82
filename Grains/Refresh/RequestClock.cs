namespace Webhooks.Grains.Refresh;

/// <summary>
/// The times refresh requests are stamped with by one writer (a repository's dispatch, a warehouse's intake). A refresh
/// reads requests in push order, then in the order they were made, so the times are strictly increasing at
/// PostgreSQL's microsecond precision even for requests made within one tick. Not thread-safe: each owner runs on its
/// activation's single-threaded scheduler.
/// </summary>
internal sealed class RequestClock(Func<DateTimeOffset> now)
{
    private DateTimeOffset _last;

    public DateTimeOffset Next()
    {
        var next = now();
        next = next.AddTicks(-(next.Ticks % 10));
        if (next <= _last)
        {
            next = _last.AddTicks(10);
        }

        _last = next;
        return next;
    }
}
