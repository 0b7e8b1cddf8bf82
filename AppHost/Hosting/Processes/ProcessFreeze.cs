using System.Globalization;

namespace Webhooks.AppHost.Hosting.Processes;

/// <summary>
/// Processes stopped with SIGSTOP, their descendants included (a postmaster's backends keep serving open connections
/// unless they are frozen too), until disposed (SIGCONT). To their clients they look like a server behind a dropped
/// network: connections open and requests hang, nothing is refused. Fault tests use it for "unreachable for 20 s".
/// </summary>
public sealed class ProcessFreeze : IDisposable
{
    private readonly IReadOnlyList<int> _frozen;
    private int _thawed;

    private ProcessFreeze(IReadOnlyList<int> frozen) => _frozen = frozen;

    /// <summary>Every process frozen: the roots and what they had started at the time.</summary>
    public IReadOnlyList<int> ProcessIds => _frozen;

    public static ProcessFreeze Freeze(IEnumerable<int> roots)
    {
        var frozen = new List<int>();
        foreach (var root in roots)
        {
            // The root first: a stopped parent forks no new children while its existing ones are being stopped.
            if (Posix.Signal(root, Posix.SigStop))
            {
                frozen.Add(root);
            }

            foreach (var child in Descendants(root))
            {
                if (Posix.Signal(child, Posix.SigStop))
                {
                    frozen.Add(child);
                }
            }
        }

        return new ProcessFreeze(frozen);
    }

    /// <summary>Lets every frozen process run again (children first, so the parent finds them running). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _thawed, 1) == 1)
        {
            return;
        }

        foreach (var pid in _frozen.Reverse())
        {
            Posix.Signal(pid, Posix.SigCont);
        }
    }

    /// <summary>Children, grandchildren… of <paramref name="root"/>, from /proc (Linux only; none elsewhere).</summary>
    internal static IReadOnlyList<int> Descendants(int root)
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }

        var parents = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) S ppid ..." — comm may contain spaces and parentheses: read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (!parents.TryGetValue(parent, out var children))
                {
                    parents[parent] = children = [];
                }

                children.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.TryDequeue(out var pid))
        {
            foreach (var child in parents.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                queue.Enqueue(child);
            }
        }

        return found;
    }
}
