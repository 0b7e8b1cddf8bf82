using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Webhooks.Benchmarks.Soak;

/// <summary>
/// Watches the receiver process from outside, as an operator would: its resident set from <c>/proc/{pid}/status</c> and
/// its GC heap from the runtime's <c>System.Runtime</c> counters over EventPipe (what <c>dotnet-counters</c> reads).
/// </summary>
public sealed class ReceiverMemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private double _gcHeapMib = double.NaN;

    private ReceiverMemorySampler(int pid, EventPipeSession session)
    {
        _pid = pid;
        _session = session;
        _reading = Task.Run(Read);
    }

    public static ReceiverMemorySampler Start(int pid)
    {
        var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, 0xFFFFFFFF,
            new Dictionary<string, string> { ["EventCounterIntervalSec"] = "1" });
        var session = new DiagnosticsClient(pid).StartEventPipeSession([provider], requestRundown: false);
        return new ReceiverMemorySampler(pid, session);
    }

    /// <summary>Now; the GC heap is the counter's latest value (at most a second old), NaN until the first arrives.</summary>
    public ProcessSample Sample(double seconds) => new(seconds, RssMib(), Volatile.Read(ref _gcHeapMib));

    /// <summary>Waits (up to <paramref name="patience"/>) for the first GC heap figure.</summary>
    public async Task WaitForFirstCounterAsync(TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (double.IsNaN(Volatile.Read(ref _gcHeapMib)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += e =>
        {
            // As dotnet-counters reads them: the event's one field is a dictionary whose "Payload" holds the counter.
            if (e.EventName != "EventCounters" || e.PayloadValue(0) is not IDictionary<string, object> outer
                || !outer.TryGetValue("Payload", out var inner) || inner is not IDictionary<string, object> payload)
            {
                return;
            }

            if (payload.TryGetValue("Name", out var name) && (string)name == "gc-heap-size" && payload.TryGetValue("Mean", out var mean))
            {
                // The counter is in MB (10^6 bytes).
                Volatile.Write(ref _gcHeapMib, Convert.ToDouble(mean, CultureInfo.InvariantCulture) * 1_000_000 / (1024 * 1024));
            }
        };
        try
        {
            source.Process();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ObjectDisposedException)
        {
            // The session was stopped, or the process went away.
        }
    }

    private double RssMib()
    {
        foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var kib = double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return kib / 1024;
            }
        }

        return double.NaN;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or TimeoutException)
        {
        }

        await _reading.ConfigureAwait(false);
        _session.Dispose();
    }
}
