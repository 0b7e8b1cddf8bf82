using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Webhooks.Benchmarks.Load;

/// <summary>
/// Closed-loop load that resends as Bitbucket Cloud does: a delivery answered 5xx, timed out or not connected is sent
/// again after the policy's wait, same body and delivery id, <c>X-Attempt-Number</c> one higher, until it is answered
/// otherwise or the attempts run out. Pushes go to the replicas in turn as a load balancer would spread them; a resend
/// goes to the next replica, as a balancer takes a dead one out. Each connection finishes its delivery (retries
/// included) before taking the next, so pushes to one repository stay in order.
/// </summary>
public sealed class RetryingLoadGenerator : IDisposable
{
    private readonly int _connections;
    private readonly RetryPolicy _policy;
    private readonly IReadOnlyList<Uri> _replicas;
    private readonly HttpClient _http;

    /// <param name="replicas">Base addresses to spread over; empty sends each push to its own URL.</param>
    public RetryingLoadGenerator(int connections, RetryPolicy policy, IReadOnlyList<Uri> replicas)
    {
        _connections = connections;
        _policy = policy;
        _replicas = replicas;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectTimeout = policy.Timeout,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = policy.Timeout,
        };
    }

    /// <summary>
    /// Each connection takes pushes from <paramref name="next"/> until <paramref name="stop"/> is cancelled or its source is
    /// empty, starting one at most every <paramref name="interval"/> (zero: as fast as answers come), so the load is steady.
    /// </summary>
    public async Task<RetryingLoadResult> RunAsync(Func<int, SignedPush?> next, TimeSpan interval, CancellationToken stop)
    {
        var run = new Counters();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, _connections).Select(connection => Task.Run(async () =>
        {
            var turn = 0;
            while (!stop.IsCancellationRequested && next(connection) is { } push)
            {
                var started = clock.Elapsed;
                var order = Interlocked.Increment(ref run.Order);
                run.Deliveries.Enqueue(await DeliverAsync(push, order, connection + turn++, run).ConfigureAwait(false));
                var rest = interval - (clock.Elapsed - started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }, CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new RetryingLoadResult(
            clock.Elapsed.TotalSeconds,
            run.Requests,
            run.Answers2xx,
            run.Answers5xx,
            run.OtherAnswers,
            run.ConnectionFailures,
            run.Retries,
            run.GaveUp,
            [.. run.Deliveries.OrderBy(d => d.Order)],
            [.. run.SuccessTimes]);
    }

    private async Task<SentDelivery> DeliverAsync(SignedPush push, long order, int slot, Counters run)
    {
        int? status = null;
        var attempt = 1;
        for (; ; attempt++)
        {
            status = await SendAsync(push, attempt, slot, run).ConfigureAwait(false);
            if (status is { } answered && !RetryPolicy.IsRetryable(answered))
            {
                break;
            }

            if (attempt == _policy.MaxAttempts)
            {
                Interlocked.Increment(ref run.GaveUp);
                break;
            }

            Interlocked.Increment(ref run.Retries);
            await Task.Delay(_policy.DelayBefore(attempt + 1)).ConfigureAwait(false);
        }

        return new SentDelivery(push, order, status, attempt);
    }

    /// <summary>One attempt; the status, or null when it did not connect or was not answered in time.</summary>
    private async Task<int?> SendAsync(SignedPush push, int attempt, int slot, Counters run)
    {
        Interlocked.Increment(ref run.Requests);
        try
        {
            using var request = push.ToRequest(attempt);
            if (_replicas.Count > 0)
            {
                var replica = _replicas[(slot + attempt - 1) % _replicas.Count];
                request.RequestUri = new Uri(replica, push.Url.PathAndQuery);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                Interlocked.Increment(ref run.Answers2xx);
                run.SuccessTimes.Enqueue(DateTimeOffset.UtcNow);
            }
            else if (status >= 500)
            {
                Interlocked.Increment(ref run.Answers5xx);
            }
            else
            {
                Interlocked.Increment(ref run.OtherAnswers);
            }

            return status;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref run.ConnectionFailures);
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class Counters
    {
        public long Order;
        public long Requests;
        public long Answers2xx;
        public long Answers5xx;
        public long OtherAnswers;
        public long ConnectionFailures;
        public long Retries;
        public long GaveUp;

        public ConcurrentQueue<SentDelivery> Deliveries { get; } = new();

        public ConcurrentQueue<DateTimeOffset> SuccessTimes { get; } = new();
    }
}
