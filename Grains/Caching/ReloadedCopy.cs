namespace Webhooks.Grains.Caching;

/// <summary>
/// A grain's copy of what the management API changes (a repository's subscriptions, a warehouse's settings): loaded on
/// first use and after every invalidation, and reloaded as a safety net (<see cref="SafetyNetReload"/>) without making
/// anyone wait. Once the copy is due, callers keep getting it while one reload runs in the background, which replaces
/// it when done; only a copy never loaded or invalidated makes a caller wait for the database. A load begun before an
/// invalidation is not kept: it may have read the state before the change.
/// <para>
/// Why: the safety-net reload ran on the caller's path. Ingress waits for the repository grain's answer, and a thousand
/// grains activated together (a burst, a new tenant) reloaded in the same half minute, each holding its calls behind a
/// query on a busy database; the open loop's answers queued behind them (docs/benchmarks.md, step 13).
/// </para>
/// Not thread-safe: for one activation's turns, which Orleans runs one at a time.
/// </summary>
internal sealed class ReloadedCopy<T>(Func<Task<T>> load, TimeProvider clock, Action<Exception> reloadFailed)
{
    private T _copy = default!;
    private bool _loaded;
    private DateTimeOffset _reloadAt;
    private Task<T>? _loading;
    private int _generation;

    /// <summary>The copy; loaded first when there is none, reloaded in the background when due.</summary>
    public ValueTask<T> GetAsync()
    {
        if (!_loaded)
        {
            return new ValueTask<T>(LoadAsync());
        }

        if (clock.GetUtcNow() >= _reloadAt && _loading is not { IsCompleted: false })
        {
            _ = ReloadAsync();
        }

        return new ValueTask<T>(_copy);
    }

    /// <summary>Forgets the copy: the next caller waits for a fresh load.</summary>
    public void Invalidate()
    {
        _loaded = false;
        _copy = default!;
        _loading = null;
        _generation++;
    }

    /// <summary>The load under way, shared by every caller meanwhile, or a new one.</summary>
    private Task<T> LoadAsync() => _loading is { IsCompleted: false } loading ? loading : _loading = LoadOnceAsync(_generation);

    private async Task<T> LoadOnceAsync(int generation)
    {
        var copy = await load();
        if (generation == _generation)
        {
            _copy = copy;
            _loaded = true;
            _reloadAt = SafetyNetReload.After(clock.GetUtcNow());
        }

        return copy;
    }

    /// <summary>A background reload; when it fails the copy is kept and the next one is due a safety-net interval later.</summary>
    private async Task ReloadAsync()
    {
        try
        {
            await LoadAsync();
        }
        catch (Exception e)
        {
            _reloadAt = SafetyNetReload.After(clock.GetUtcNow());
            reloadFailed(e);
        }
    }
}
