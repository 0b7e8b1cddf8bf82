using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Webhooks.Benchmarks.Load;

/// <summary>
/// Sends signed pushes over keep-alive HTTP/1.1 connections. Closed loop: N connections, each sends its next push as soon
/// as the previous one is answered. Open loop: pushes start at a fixed rate whatever the answers do, and latency is
/// measured from the intended send time, so a server that falls behind shows its queueing instead of slowing the clock.
/// </summary>
public sealed class LoadGenerator(int connections) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Each connection takes pushes from its own source until the time is up (or its source is empty).</summary>
    public async Task<LoadResult> ClosedLoopAsync(Func<int, SignedPush?> next, TimeSpan duration, AnswerLog log)
    {
        var run = new RunCounters();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(connection => Task.Run(async () =>
        {
            while (clock.Elapsed < duration && next(connection) is { } push)
            {
                var started = clock.Elapsed;
                await SendAsync(push, log, run).ConfigureAwait(false);
                run.Latencies.Record(started.TotalSeconds, (clock.Elapsed - started).TotalMilliseconds);
            }
        }));
        await Task.WhenAll(workers).ConfigureAwait(false);
        return run.Result("closed", connections, 0, clock.Elapsed);
    }

    /// <summary>Starts push i at i / rate seconds; latency counts from that intended start, not from when it was sent.</summary>
    public async Task<LoadResult> OpenLoopAsync(Func<long, SignedPush?> next, double rate, TimeSpan duration, AnswerLog log)
    {
        var run = new RunCounters();
        var inFlight = new ConcurrentDictionary<long, Task>();
        var clock = Stopwatch.StartNew();
        for (long i = 0; ; i++)
        {
            var intended = TimeSpan.FromSeconds(i / rate);
            if (intended >= duration || next(i) is not { } push)
            {
                break;
            }

            var wait = intended - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait).ConfigureAwait(false);
            }

            var index = i;
            inFlight[index] = Task.Run(async () =>
            {
                await SendAsync(push, log, run).ConfigureAwait(false);
                run.Latencies.Record(intended.TotalSeconds, (clock.Elapsed - intended).TotalMilliseconds);
                inFlight.TryRemove(index, out _);
            });
        }

        await Task.WhenAll(inFlight.Values).ConfigureAwait(false);
        return run.Result("open", connections, rate, clock.Elapsed);
    }

    /// <summary>Sends every push once, <paramref name="parallelism"/> at a time, as fast as possible.</summary>
    public async Task<LoadResult> SendAllAsync(IReadOnlyList<SignedPush> pushes, int parallelism, AnswerLog log)
    {
        var queue = new ConcurrentQueue<SignedPush>(pushes);
        return await ClosedLoopAsync(_ => queue.TryDequeue(out var push) ? push : null, TimeSpan.FromHours(1), log).ConfigureAwait(false) with { Connections = parallelism };
    }

    private async Task SendAsync(SignedPush push, AnswerLog log, RunCounters run)
    {
        var sequence = log.Sending();
        Interlocked.Increment(ref run.Sent);
        try
        {
            using var request = push.ToRequest();
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            run.ByStatus.AddOrUpdate(status, 1, (_, n) => n + 1);
            log.Answered(push, sequence, status);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref run.Errors);
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed class RunCounters
    {
        public long Sent;
        public long Errors;

        public ConcurrentDictionary<int, long> ByStatus { get; } = new();

        public Latencies Latencies { get; } = new();

        public LoadResult Result(string mode, int connections, double rate, TimeSpan elapsed)
        {
            var byStatus = ByStatus.OrderBy(s => s.Key).ToDictionary(s => s.Key, s => s.Value);
            var answered = byStatus.Values.Sum();
            return new LoadResult(mode, connections, rate, elapsed.TotalSeconds, Sent, answered, answered / elapsed.TotalSeconds, Latencies.Summarise(), byStatus, Errors)
            {
                Windows = Latencies.Windows(LoadResult.WindowWidth),
            };
        }
    }
}
