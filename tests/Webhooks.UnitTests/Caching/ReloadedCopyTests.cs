using Microsoft.Extensions.Time.Testing;
using Webhooks.Grains.Caching;

namespace Webhooks.UnitTests.Caching;

/// <summary>
/// A grain's copy of its configuration: the first caller waits for the database; once the copy is due for its
/// safety-net reload, callers get it at once while one reload runs; an invalidated copy is loaded again before use.
/// </summary>
public sealed class ReloadedCopyTests
{
    private static readonly TimeSpan PastAnyReload = TimeSpan.FromMinutes(3);

    private readonly FakeTimeProvider _clock = new();
    private readonly List<TaskCompletionSource<string>> _loads = [];
    private readonly List<Exception> _failures = [];

    [Fact]
    public async Task TheFirstCallerWaitsForTheLoadAndLaterCallersShareIt()
    {
        var copy = Create();

        var first = copy.GetAsync().AsTask();
        var second = copy.GetAsync().AsTask();
        Assert.False(first.IsCompleted);
        Assert.Single(_loads);

        _loads[0].SetResult("v1");
        Assert.Equal("v1", await first);
        Assert.Equal("v1", await second);
        Assert.Equal("v1", await copy.GetAsync());
        Assert.Single(_loads);
    }

    [Fact]
    public async Task ADueCopyIsAnsweredAtOnceWhileOneReloadReplacesIt()
    {
        var copy = await LoadedAsync("v1");
        _clock.Advance(PastAnyReload);

        var whileReloading = copy.GetAsync();
        var again = copy.GetAsync();

        Assert.True(whileReloading.IsCompletedSuccessfully);
        Assert.True(again.IsCompletedSuccessfully);
        Assert.Equal("v1", await whileReloading);
        Assert.Equal("v1", await again);
        Assert.Equal(2, _loads.Count);

        _loads[1].SetResult("v2");
        Assert.Equal("v2", await copy.GetAsync());
        Assert.Equal(2, _loads.Count);
    }

    [Fact]
    public async Task AnInvalidatedCopyIsLoadedAgainBeforeItIsUsed()
    {
        var copy = await LoadedAsync("v1");

        copy.Invalidate();
        var next = copy.GetAsync().AsTask();

        Assert.False(next.IsCompleted);
        _loads[1].SetResult("v2");
        Assert.Equal("v2", await next);
    }

    [Fact]
    public async Task AReloadBegunBeforeAnInvalidationIsNotKept()
    {
        var copy = await LoadedAsync("v1");
        _clock.Advance(PastAnyReload);
        _ = copy.GetAsync();
        var staleReload = _loads[1];

        copy.Invalidate();
        var next = copy.GetAsync().AsTask();
        staleReload.SetResult("read before the change");
        _loads[2].SetResult("v2");

        Assert.Equal("v2", await next);
        Assert.Equal("v2", await copy.GetAsync());
    }

    [Fact]
    public async Task AFailedReloadKeepsTheCopyAndIsTriedAgainLater()
    {
        var copy = await LoadedAsync("v1");
        _clock.Advance(PastAnyReload);
        _ = copy.GetAsync();

        _loads[1].SetException(new TimeoutException("the database did not answer"));

        Assert.Equal("v1", await copy.GetAsync());
        var failure = Assert.Single(_failures);
        Assert.IsType<TimeoutException>(failure);
        Assert.Equal(2, _loads.Count);

        _clock.Advance(PastAnyReload);
        _ = copy.GetAsync();
        Assert.Equal(3, _loads.Count);
    }

    [Fact]
    public async Task AFailedFirstLoadFailsItsCallersAndTheNextCallerLoadsAgain()
    {
        var copy = Create();
        var first = copy.GetAsync().AsTask();
        _loads[0].SetException(new TimeoutException("the database did not answer"));

        await Assert.ThrowsAsync<TimeoutException>(() => first);
        var second = copy.GetAsync().AsTask();
        _loads[1].SetResult("v1");
        Assert.Equal("v1", await second);
        Assert.Empty(_failures);
    }

    private ReloadedCopy<string> Create() => new(() =>
    {
        var load = new TaskCompletionSource<string>();
        _loads.Add(load);
        return load.Task;
    }, _clock, _failures.Add);

    private async Task<ReloadedCopy<string>> LoadedAsync(string value)
    {
        var copy = Create();
        var first = copy.GetAsync();
        _loads[^1].SetResult(value);
        Assert.Equal(value, await first);
        return copy;
    }
}
