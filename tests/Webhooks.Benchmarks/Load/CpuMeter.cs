using System.Globalization;

namespace Webhooks.Benchmarks.Load;

/// <summary>
/// CPU time spent by the receiver's processes and by PostgreSQL's (every process named <c>postgres</c>) between two
/// readings of <c>/proc</c>. Divided by the deliveries of the interval it is the cost of a delivery, which a shared,
/// noisy machine changes far less than it changes a rate: a slower moment stretches the interval, not the CPU a
/// delivery needs.
/// </summary>
public sealed class CpuMeter
{
    // USER_HZ: /proc reports CPU times in clock ticks of 1/100 s on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly Func<IReadOnlyList<int>> _receiverPids;
    private readonly (double Receiver, double Postgres) _start;

    private CpuMeter(Func<IReadOnlyList<int>> receiverPids)
    {
        _receiverPids = receiverPids;
        _start = Read();
    }

    public static CpuMeter Start(Func<IReadOnlyList<int>> receiverPids) => new(receiverPids);

    /// <summary>CPU seconds since <see cref="Start"/>. A backend or replica that exited meanwhile is not counted.</summary>
    public (double ReceiverSeconds, double PostgresSeconds) Elapsed()
    {
        var now = Read();
        return (now.Receiver - _start.Receiver, now.Postgres - _start.Postgres);
    }

    private (double Receiver, double Postgres) Read()
    {
        var receiver = _receiverPids().Sum(pid => CpuSeconds(pid) ?? 0);
        var postgres = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Comm(pid) == "postgres")
            {
                postgres += CpuSeconds(pid) ?? 0;
            }
        }

        return (receiver, postgres);
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>utime + stime of the process (fields 14 and 15 of <c>/proc/{pid}/stat</c>), or null once it is gone.</summary>
    private static double? CpuSeconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }
}
