using Webhooks.Grains.Refresh;

namespace Webhooks.UnitTests.Refresh;

public sealed class RefreshBackoffTests
{
    [Fact]
    public void EachFailureInARowDoublesTheWaitUpToTheCap()
    {
        var backoff = new RefreshBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        var waits = Enumerable.Range(0, 6).Select(_ => backoff.Failed().TotalSeconds).ToArray();

        Assert.Equal([1, 2, 4, 8, 10, 10], waits);
        Assert.Equal(6, backoff.Failures);
    }

    [Fact]
    public void ASuccessStartsOverFromTheBaseDelay()
    {
        var backoff = new RefreshBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(5));
        backoff.Failed();
        backoff.Failed();
        backoff.Failed();

        backoff.Succeeded();

        Assert.Equal(0, backoff.Failures);
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.Failed());
    }

    [Fact]
    public void AWarehouseFailingForDaysWaitsTheCapNotAnOverflow()
    {
        var backoff = new RefreshBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

        for (var i = 0; i < 10_000; i++)
        {
            backoff.Failed();
        }

        Assert.Equal(TimeSpan.FromMinutes(5), backoff.Failed());
    }
}
