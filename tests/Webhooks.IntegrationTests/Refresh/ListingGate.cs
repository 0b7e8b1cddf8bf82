using System.Collections.Concurrent;

namespace Webhooks.IntegrationTests.Refresh;

/// <summary>
/// Holds listings so a refresh is provably in flight: <see cref="Entered"/> says which silo's listing arrived first;
/// <see cref="Open"/> lets every listing through, <see cref="Release"/> those of one silo; <see cref="Kill"/> ends the
/// held listings of a silo that was killed, as its process dying would.
/// </summary>
public sealed class ListingGate
{
    private readonly TaskCompletionSource<string> _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _released = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _killed = new(StringComparer.Ordinal);

    /// <summary>The silo whose listing reached the gate first.</summary>
    public Task<string> Entered => _entered.Task;

    public void Open() => _opened.TrySetResult();

    /// <summary>Lets the listings of <paramref name="silo"/> through, now and from now on.</summary>
    public void Release(string silo) => Signal(_released, silo).TrySetResult();

    public void Kill(string silo) => Signal(_killed, silo).TrySetResult();

    internal async Task PassAsync(string silo)
    {
        _entered.TrySetResult(silo);
        var killed = Signal(_killed, silo).Task;
        await Task.WhenAny(_opened.Task, Signal(_released, silo).Task, killed).ConfigureAwait(false);
        // A silo killed and then the gate opened (as a test does) is dead, whichever signal WhenAny saw first: its
        // continuations run asynchronously, so the order they are seen in is not the order they were given in.
        if (killed.IsCompleted)
        {
            throw new OperationCanceledException($"Silo {silo} was killed during the listing.");
        }
    }

    private static TaskCompletionSource Signal(ConcurrentDictionary<string, TaskCompletionSource> signals, string silo) =>
        signals.GetOrAdd(silo, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
