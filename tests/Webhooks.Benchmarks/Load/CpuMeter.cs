using System.Globalization;

namespace Webhooks.Benchmarks.Load;

/// <summary>
/// CPU time spent by the receiver's service processes and by PostgreSQL's (the postmaster and its backends) between two
/// readings of <c>/proc</c>. Divided by the deliveries of the interval it is the cost of a delivery, which a shared,
/// noisy machine changes far less than it changes a rate: a slower moment stretches the interval, not the CPU a
/// delivery needs.
/// </summary>
public sealed class CpuMeter
{
    // USER_HZ: /proc reports CPU times in clock ticks of 1/100 s on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly Func<IReadOnlyList<int>> _receiverPids;
    private readonly Func<IReadOnlyList<int>> _postgresPids;
    private readonly (double Receiver, double Postgres) _start;

    private CpuMeter(Func<IReadOnlyList<int>> receiverPids, Func<IReadOnlyList<int>> postgresPids)
    {
        _receiverPids = receiverPids;
        _postgresPids = postgresPids;
        _start = Read();
    }

    /// <param name="receiverPids">The receiver replicas' service processes.</param>
    /// <param name="postgresPids">PostgreSQL's process tree (the postmaster and every backend).</param>
    public static CpuMeter Start(Func<IReadOnlyList<int>> receiverPids, Func<IReadOnlyList<int>> postgresPids) => new(receiverPids, postgresPids);

    /// <summary>
    /// CPU seconds since <see cref="Start"/>. A backend that ended meanwhile is counted through its parent (the
    /// postmaster reaps it); a replica that ended is not.
    /// </summary>
    public (double ReceiverSeconds, double PostgresSeconds) Elapsed()
    {
        var now = Read();
        return (now.Receiver - _start.Receiver, now.Postgres - _start.Postgres);
    }

    private (double Receiver, double Postgres) Read() =>
        (_receiverPids().Sum(pid => CpuSeconds(pid) ?? 0), _postgresPids().Sum(pid => CpuSeconds(pid) ?? 0));

    /// <summary>
    /// utime + stime of the process and cutime + cstime of its children it has reaped (fields 14 to 17 of
    /// <c>/proc/{pid}/stat</c>), or null once it is gone. Summed over a live tree, that is every CPU second the tree
    /// spent, its ended processes included.
    /// </summary>
    private static double? CpuSeconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture));
        return ticks / TicksPerSecond;
    }
}
