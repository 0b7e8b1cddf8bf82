using Microsoft.Extensions.Time.Testing;
using Webhooks.Grains.Persistence;
using Webhooks.Testing;

namespace Webhooks.UnitTests.Persistence;

public sealed class GroupCommitTests
{
    private readonly List<List<int>> _written = [];
    private readonly Dictionary<int, Exception> _failed = [];

    [Fact]
    public async Task ItemsAddedWhileABatchIsWrittenGoTogetherIntoTheNext()
    {
        var firstWrite = new TaskCompletionSource();
        var commit = new GroupCommit<int>(async batch =>
        {
            Record(batch);
            if (batch.Contains(1))
            {
                await firstWrite.Task;
            }
        }, Fail, maxBatchSize: 100, TimeSpan.Zero, TimeProvider.System);

        commit.Add(1);
        await Poll.UntilAsync(() => Task.FromResult(Written()), w => w.Count == 1, "the first batch to be written");
        commit.Add(2);
        commit.Add(3);
        firstWrite.SetResult();

        var written = await Poll.UntilAsync(() => Task.FromResult(Written()), w => w.Count == 2, "the second batch to be written");
        Assert.Equal([[1], [2, 3]], written);
    }

    [Fact]
    public async Task ABatchWaitsTheLingerForMoreItemsBeforeItIsWritten()
    {
        var clock = new FakeTimeProvider();
        var commit = new GroupCommit<int>(batch =>
        {
            Record(batch);
            return Task.CompletedTask;
        }, Fail, maxBatchSize: 100, TimeSpan.FromMilliseconds(20), clock);

        commit.Add(1);
        commit.Add(2);
        commit.Add(3);
        // The fake clock has not moved: the linger is not over, nothing can have been written.
        Assert.Empty(Written());

        var written = await Poll.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromMilliseconds(20));
            return Task.FromResult(Written());
        }, w => w.Count == 1, "the lingering batch to be written");
        Assert.Equal([[1, 2, 3]], written);
    }

    [Fact]
    public async Task NoBatchIsLargerThanTheCapAndEveryItemIsWrittenInOrder()
    {
        var firstWrite = new TaskCompletionSource();
        var commit = new GroupCommit<int>(async batch =>
        {
            Record(batch);
            if (batch.Contains(0))
            {
                await firstWrite.Task;
            }
        }, Fail, maxBatchSize: 4, TimeSpan.Zero, TimeProvider.System);

        commit.Add(0);
        await Poll.UntilAsync(() => Task.FromResult(Written()), w => w.Count == 1, "the first batch to be written");
        for (var i = 1; i <= 10; i++)
        {
            commit.Add(i);
        }

        firstWrite.SetResult();

        var written = await Poll.UntilAsync(() => Task.FromResult(Written()), w => w.Sum(b => b.Count) == 11, "every item to be written");
        Assert.All(written, batch => Assert.InRange(batch.Count, 1, 4));
        Assert.Equal(Enumerable.Range(0, 11), written.SelectMany(b => b));
    }

    [Fact]
    public async Task AWriteThatThrowsFailsItsOwnItemsAndTheNextBatchIsStillWritten()
    {
        var commit = new GroupCommit<int>(batch =>
        {
            if (batch.Contains(13))
            {
                throw new InvalidOperationException("refused");
            }

            Record(batch);
            return Task.CompletedTask;
        }, Fail, maxBatchSize: 1, TimeSpan.Zero, TimeProvider.System);

        commit.Add(13);
        commit.Add(14);

        var written = await Poll.UntilAsync(() => Task.FromResult(Written()), w => w.Count == 1, "the batch after the failed one to be written");
        Assert.Equal([[14]], written);
        lock (_failed)
        {
            Assert.Equal("refused", Assert.Single(_failed, f => f.Key == 13).Value.Message);
            Assert.Single(_failed);
        }
    }

    private void Record(List<int> batch)
    {
        lock (_written)
        {
            _written.Add([.. batch]);
        }
    }

    private void Fail(int item, Exception e)
    {
        lock (_failed)
        {
            _failed[item] = e;
        }
    }

    private List<List<int>> Written()
    {
        lock (_written)
        {
            return [.. _written.Select(b => b.ToList())];
        }
    }
}
